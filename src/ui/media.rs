//! Pictures: lazy images that reserve their space, the WeChat-moments grid, and a full-screen
//! preview with swipe that the back button closes.

use super::overlay::use_back_closes;
use crate::i18n::use_i18n;
use leptos::html;
use leptos::prelude::*;
use crate::ui::When;

/// A picture with its known size (from the API), so its space is reserved before it loads.
#[derive(Clone, Debug, PartialEq)]
pub struct Picture {
    pub url: String,
    pub width: u32,
    pub height: u32,
}

/// Columns of a picture grid as WeChat moments lay them out: one picture alone (sized by its
/// shape), four in 2×2, anything else in rows of three, never more than nine.
pub fn grid_columns(count: usize) -> usize {
    match count {
        0 | 1 => 1,
        4 => 2,
        _ => 3,
    }
}

/// The box of a lone picture within `max` × `max` CSS pixels: its aspect ratio kept, but
/// never thinner than a third of `max` on either side (panoramas and long screenshots).
pub fn single_box(width: u32, height: u32, max: u32) -> (u32, u32) {
    let (w, h) = (width.max(1) as f64, height.max(1) as f64);
    let max = max.max(3) as f64;
    let scale = (max / w).min(max / h);
    let (bw, bh) = ((w * scale).round(), (h * scale).round());
    let floor = (max / 3.0).round();
    (bw.max(floor) as u32, bh.max(floor) as u32)
}

/// An image that loads when near the screen, keeps its box while loading, and shows a plain
/// placeholder if it fails. Its address and text are fixed for its life (a row is rebuilt when
/// its picture changes), so it holds no reactive state but whether it failed. It shows as soon
/// as it is decoded, over the box's skeleton colour: no fade-in, which would hold back the page's
/// largest picture by the length of the fade.
#[component]
pub fn LazyImage(
    /// The picture's address.
    src: String,
    /// The text read instead of it; empty for a decorative picture.
    #[prop(optional, into)]
    alt: String,
    /// The intrinsic width and height, for the reserved aspect ratio.
    #[prop(optional)]
    size: Option<(u32, u32)>,
    /// More classes for its box.
    #[prop(optional, into)]
    class: Option<String>,
) -> impl IntoView {
    let failed = RwSignal::new(false);
    let ratio = size.map(|(w, h)| format!("{} / {}", w.max(1), h.max(1)));
    let class = match class {
        Some(c) => format!("img {c}"),
        None => "img".to_owned(),
    };
    view! {
        <span class=class style:aspect-ratio=ratio>
            <When when=move || !failed.get() fallback=|| view! { <span class="img-broken" aria-hidden="true"></span> }>
                <img
                    src=src.clone()
                    alt=alt.clone()
                    loading="lazy"
                    decoding="async"
                    width=size.map(|s| s.0)
                    height=size.map(|s| s.1)
                    on:error=move |_| failed.set(true)
                />
            </When>
        </span>
    }
}

/// Up to nine pictures laid out as WeChat moments do; tapping one calls `on_open` with its index.
#[component]
pub fn ImageGrid(
    #[prop(into)] pictures: Signal<Vec<Picture>>,
    #[prop(into)] on_open: Callback<usize>,
    /// The largest side of a lone picture, in CSS pixels.
    #[prop(default = 200)]
    single_max: u32,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        {move || {
            let list: Vec<Picture> = pictures.get().into_iter().take(9).collect();
            let n = list.len();
            let columns = grid_columns(n);
            let items = list.into_iter().enumerate().map(|(i, p)| {
                let style = (n == 1).then(|| {
                    let (w, h) = single_box(p.width, p.height, single_max);
                    format!("width:{w}px;height:{h}px")
                });
                let size = if n == 1 { Some((p.width, p.height)) } else { Some((1, 1)) };
                view! {
                    <button type="button" class="grid-cell" style=style on:click=move |_| on_open.run(i)
                        aria-label=move || (i18n.t().picture_n)(i + 1, n)>
                        <LazyImage src=p.url.clone() size=size.unwrap_or((1, 1))/>
                    </button>
                }
            }).collect_view();
            view! { <div class=format!("grid grid-{columns}") data-count=n>{items}</div> }
        }}
    }
}

/// Full-screen pictures with swipe between them (native scroll snapping: no per-frame work),
/// "2 / 9", tap or back to close.
#[component]
pub fn ImagePreview(
    open: RwSignal<bool>,
    #[prop(into)] pictures: Signal<Vec<Picture>>,
    /// Which picture to show first.
    #[prop(into)]
    start: Signal<usize>,
) -> impl IntoView {
    use_back_closes(open);
    let i18n = use_i18n();
    let current = RwSignal::new(0usize);
    let strip = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        if open.get() {
            let index = start.get();
            current.set(index);
            request_animation_frame(move || {
                if let Some(el) = strip.get_untracked() {
                    el.set_scroll_left(index as i32 * el.client_width());
                }
            });
        }
    });
    let on_scroll = move |_| {
        if let Some(el) = strip.get_untracked() {
            let w = el.client_width().max(1);
            current.set(((el.scroll_left() + w / 2) / w) as usize);
        }
    };
    view! {
        <When when=move || open.get()>
            <div class="preview" role="dialog" aria-modal="true" aria-label=move || i18n.t().preview on:click=move |_| open.set(false)>
                <div class="preview-strip" node_ref=strip on:scroll=on_scroll>
                    {move || pictures.get().into_iter().map(|p| view! {
                        <div class="preview-slide"><img src=p.url alt="" decoding="async"/></div>
                    }).collect_view()}
                </div>
                <p class="preview-index" aria-live="polite">{move || format!("{} / {}", current.get() + 1, pictures.with(Vec::len))}</p>
            </div>
        </When>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn grids_follow_wechat_moments() {
        assert_eq!(grid_columns(1), 1);
        assert_eq!(grid_columns(2), 3);
        assert_eq!(grid_columns(3), 3);
        assert_eq!(grid_columns(4), 2);
        assert_eq!(grid_columns(5), 3);
        assert_eq!(grid_columns(9), 3);
    }

    #[test]
    fn a_lone_picture_keeps_its_shape_within_bounds() {
        assert_eq!(single_box(1080, 720, 200), (200, 133));
        assert_eq!(single_box(720, 1280, 200), (113, 200));
        assert_eq!(single_box(4000, 100, 200), (200, 67), "a panorama is not a sliver");
        assert_eq!(single_box(0, 0, 200), (200, 200));
    }

    proptest! {
        #[test]
        fn boxes_always_fit(w in 0u32..20_000, h in 0u32..20_000, max in 30u32..400) {
            let (bw, bh) = single_box(w, h, max);
            prop_assert!(bw <= max && bh <= max);
            prop_assert!(bw * 3 >= max - 2 && bh * 3 >= max - 2);
        }
    }
}
