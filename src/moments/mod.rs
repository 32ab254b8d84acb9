//! Customer moments: the staff's posts, liked and discussed by followers. The feed is
//! virtualised (only the posts near the screen are in the page), pages load by cursor as the
//! end nears, and a pill says when newer posts exist.

pub mod domain;

use crate::api::{new_idempotency_key, ApiClient, ApiError};
use crate::clock::ServerClock;
use crate::config::Config;
use crate::i18n::{relative_time, use_i18n};
use crate::ui::lists::{LoadMore, PageState, PullToRefresh};
use crate::ui::media::{ImageGrid, ImagePreview, LazyImage, Picture};
use crate::ui::{error_message, use_toast, Deferred, Dialog, Empty, ErrorView, HalfScreen, Loading};
use crate::wechat::JsSdk;
use domain::{Attachment, CommentPage, HeightIndex, MomentComment};
pub use domain::{LatestMoments, Moment, MomentPage};
use leptos::html;
use crate::ui::Delivery;
use leptos::prelude::*;
use crate::ui::Keyed;
use crate::ui::When;
use crate::json::Json;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use crate::json_record;

/// The newest posts, read first (and on a refresh): two screens' worth, so the feed shows
/// sooner; also one of the start-up script's early reads (`crate::EARLY_READS`).
pub const FIRST_PAGE: &str = "/moments?limit=10";
/// Posts per page after the first.
const PAGE: usize = 20;
/// A post's height before it is measured.
const ESTIMATED_POST_PX: f64 = 360.0;
/// Rendered beyond the screen on each side.
const OVERSCAN_PX: f64 = 900.0;
/// How often to ask whether newer posts exist.
const UPDATES_EVERY_MS: u32 = 30_000;

/// The feed's state, shared by the page and its posts.
#[derive(Clone, Copy)]
struct Feed {
    posts: RwSignal<Vec<Moment>>,
    /// Bumped when the list is replaced (a refresh): posts are keyed by it too.
    generation: RwSignal<u32>,
    heights: StoredValue<HeightIndex>,
    /// Bumped when a height changes, so the window and spacers are worked out again.
    layout: RwSignal<u32>,
    /// How many posts are newer than the top one, as last asked.
    new_count: RwSignal<i64>,
}

impl Feed {
    fn update_post(&self, post_id: &str, change: impl FnOnce(&mut Moment)) {
        let _ = self.posts.try_update(|list| {
            if let Some(p) = list.iter_mut().find(|p| p.post_id == post_id) {
                change(p);
            }
        });
    }
}

struct NewCount {
    new_count: i64,
}
json_record!(read NewCount { new_count });

#[component]
pub fn MomentsPage() -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let i18n = use_i18n();
    let new_count = RwSignal::new(0i64);
    let feed = Feed { posts: RwSignal::new(Vec::new()), generation: RwSignal::new(0), heights: StoredValue::new(HeightIndex::new(0, ESTIMATED_POST_PX)), layout: RwSignal::new(0), new_count };
    let first_load = RwSignal::new(None::<Result<(), ApiError>>);
    let cursor = StoredValue::new(None::<String>);
    let paging = RwSignal::new(PageState::Idle);
    let refreshing = RwSignal::new(false);
    // The thread sheet and the picture preview, one each for the whole feed.
    let thread = RwSignal::new(None::<String>);
    let thread_open = RwSignal::new(false);
    let preview_open = RwSignal::new(false);
    let preview_pictures = RwSignal::new(Vec::<Picture>::new());
    let preview_start = RwSignal::new(0usize);
    provide_context(feed);
    provide_context(Opener { thread, thread_open, preview_open, preview_pictures, preview_start });

    let load_page = {
        let api = api.clone();
        move |fresh: bool| {
            let api = api.clone();
            let after = if fresh { None } else { cursor.get_value() };
            if fresh {
                refreshing.set(true);
            } else {
                paging.set(PageState::Loading);
            }
            leptos::task::spawn_local(async move {
                let path = match &after {
                    Some(c) => format!("/moments?limit={PAGE}&cursor={}", js_sys::encode_uri_component(c)),
                    None => FIRST_PAGE.to_owned(),
                };
                let answer = api.get::<MomentPage>(&path).await;
                // The follower may have left the page meanwhile: its signals are gone with it.
                if first_load.is_disposed() {
                    return;
                }
                match answer {
                    Ok(page) => {
                        cursor.set_value(page.next_cursor.clone());
                        if fresh {
                            feed.heights.set_value(HeightIndex::new(page.posts.len(), ESTIMATED_POST_PX));
                            feed.generation.update(|g| *g += 1);
                            feed.posts.set(page.posts);
                            new_count.set(0);
                        } else {
                            let n = feed.posts.with_untracked(Vec::len) + page.posts.len();
                            feed.heights.update_value(|h| h.extend_to(n, ESTIMATED_POST_PX));
                            feed.posts.update(|p| p.extend(page.posts));
                        }
                        if !matches!(first_load.get_untracked(), Some(Ok(()))) {
                            first_load.set(Some(Ok(())));
                        }
                        paging.set(if page.next_cursor.is_some() { PageState::Idle } else { PageState::Done });
                    }
                    Err(e) => {
                        if first_load.get_untracked().is_none() {
                            first_load.set(Some(Err(e)));
                        } else {
                            paging.set(PageState::Failed(error_message(i18n.t(), &e)));
                        }
                    }
                }
                refreshing.set(false);
                feed.layout.update(|l| *l += 1);
            });
        }
    };
    load_page(true);

    let refresh = {
        let load_page = load_page.clone();
        move || {
            load_page(true);
            if let Some(w) = web_sys::window() {
                w.scroll_to_with_x_and_y(0.0, 0.0);
            }
        }
    };
    let retry_first = load_page.clone();
    let shown_state = Memo::new(move |_| match first_load.get() {
        None => FeedState::Loading,
        Some(Err(_)) => FeedState::Failed,
        Some(Ok(())) if feed.posts.with(Vec::is_empty) => FeedState::Empty,
        Some(Ok(())) => FeedState::Posts,
    });
    let refresh_pill = refresh.clone();
    let more = load_page.clone();
    view! {
        <h1 class="page-title">{move || i18n.t().moments_title}</h1>
        <When when=move || { new_count.get() > 0 }>
            <button type="button" class="new-posts-pill" on:click={let refresh = refresh_pill.clone(); move |_| refresh()}>{move || (i18n.t().moments_new_posts)(new_count.get())}</button>
        </When>
        // Only a change of state rebuilds this: a new page of posts must not rebuild the list.
        {move || match shown_state.get() {
            FeedState::Loading => view! { <Loading/> }.into_any(),
            FeedState::Failed => {
                let retry = retry_first.clone();
                let error = first_load.get_untracked().and_then(Result::err).unwrap_or(ApiError::Network);
                view! { <ErrorView error on_retry=move || retry(true)/> }.into_any()
            }
            FeedState::Empty => view! { <Empty/> }.into_any(),
            FeedState::Posts => {
                let (refresh, more) = (refresh.clone(), more.clone());
                view! {
                    <PullToRefresh refreshing on_refresh=move || refresh()>
                        <FeedList/>
                    </PullToRefresh>
                    <LoadMore state=paging on_load_more=move || more(false)/>
                }.into_any()
            }
        }}
        <Deferred wanted=thread_open load=moments_thread/>
        <Deferred wanted=preview_open load=moments_preview/>
    }
}

/// Keeps the feed current once it has settled (`install_when_settled`): asks every half minute,
/// and when the page comes back into view, how many posts are newer than the top one; and
/// measures the server clock its "3 minutes ago" is told by, unless a page did that before. A
/// part of its own in the release build: neither is needed to show the feed.
#[cfg_attr(wxf_split, leptos::wasm_split::wasm_split(moments_updates, wasm_split_path = ::leptos::wasm_split, fallible))]
fn feed_updates(api: ApiClient, feed: Feed, clock: ServerClock) -> Result<Box<dyn FnOnce()>, leptos::wasm_split::SplitLoaderError> {
    Ok(Box::new(move || {
        clock.start(&api);
        let ask = move || {
            let Some(since) = feed.posts.try_with_untracked(|p| p.first().map(|p| p.post_id.clone())).flatten() else { return };
            let api = api.clone();
            leptos::task::spawn_local(async move {
                let path = format!("/moments/updates?since={}", js_sys::encode_uri_component(&since));
                // A failed ask shows nothing: the next comes in half a minute.
                if let Ok(n) = api.get::<NewCount>(&path).await {
                    let _ = feed.new_count.try_set(n.new_count);
                }
            });
        };
        let timer = leptos::prelude::set_interval_with_handle(ask.clone(), std::time::Duration::from_millis(UPDATES_EVERY_MS as u64));
        on_cleanup(move || {
            if let Ok(t) = timer {
                t.clear();
            }
        });
        let on_visible = Closure::<dyn Fn(web_sys::Event)>::new(move |_: web_sys::Event| {
            if web_sys::window().and_then(|w| w.document()).is_some_and(|d| !d.hidden()) {
                ask();
            }
        });
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            crate::ui::listen_while_owned(document.into(), vec![(&["visibilitychange"], on_visible)]);
        }
    }))
}

/// Brings the server in step with the follower's last wish for a post's like, one request at a
/// time (a change of mind while one is on the way is sent after it); a refusal rolls back to
/// what the server last said, with a message.
#[cfg_attr(wxf_split, leptos::wasm_split::wasm_split(moments_like, wasm_split_path = ::leptos::wasm_split, fallible))]
fn send_likes(
    api: ApiClient,
    feed: Feed,
    id: String,
    wanted: RwSignal<Option<bool>>,
    toaster: crate::ui::Toaster,
    i18n: crate::i18n::I18n,
) -> Result<std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>, leptos::wasm_split::SplitLoaderError> {
    Ok(Box::pin(async move {
        loop {
            // Gone with the page (the follower left it): nothing left to keep in step.
            let Some(confirmed) = feed.posts.try_with_untracked(|l| l.iter().find(|p| p.post_id == id).map(|p| p.liked_by_me)) else { break };
            let Some(want) = wanted.try_get_untracked().flatten() else { break };
            if Some(want) == confirmed {
                let _ = wanted.try_set(None);
                break;
            }
            struct LikeState {
                liked: bool,
                like_count: i64,
            }
            json_record!(read LikeState { liked, like_count });
            let method = if want { "PUT" } else { "DELETE" };
            let answer = api.send::<LikeState, ()>(method, &format!("/moments/{id}/like"), None, None).await;
            if feed.posts.is_disposed() {
                break;
            }
            match answer {
                Ok(s) => feed.update_post(&id, |p| {
                    p.liked_by_me = s.liked;
                    p.like_count = s.like_count;
                }),
                Err(_) => {
                    // Rolled back to what the server last said.
                    let _ = wanted.try_set(None);
                    toaster.error(i18n.t().moments_like_failed);
                    break;
                }
            }
        }
    }))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FeedState {
    Loading,
    Failed,
    Empty,
    Posts,
}

/// What a post can open at page level.
#[derive(Clone, Copy)]
struct Opener {
    thread: RwSignal<Option<String>>,
    thread_open: RwSignal<bool>,
    preview_open: RwSignal<bool>,
    preview_pictures: RwSignal<Vec<Picture>>,
    preview_start: RwSignal<usize>,
}

/// The posts near the screen between two spacers that stand for the rest.
#[component]
fn FeedList() -> impl IntoView {
    let feed = expect_context::<Feed>();
    {
        let (api, clock) = (expect_context::<ApiClient>(), expect_context::<ServerClock>());
        crate::ui::install_when_settled(None, move || {
            #[cfg(wxf_split)]
            return Box::pin(feed_updates(api, feed, clock));
            #[cfg(not(wxf_split))]
            return Box::pin(std::future::ready(feed_updates(api, feed, clock)));
        });
    }
    let list = NodeRef::<html::Div>::new();
    let window = RwSignal::new(0..0usize);
    // Works out the window from where the list is on screen: O(log n) per scroll frame.
    let place = move || {
        // A frame scheduled before the list went away finds nothing to do.
        let Some(el) = list.try_get_untracked().flatten() else { return };
        let top = -el.get_bounding_client_rect().top();
        let height = web_sys::window().and_then(|w| w.inner_height().ok()).and_then(|h| h.as_f64()).unwrap_or(800.0);
        let Some(range) = feed.heights.try_with_value(|h| h.window(top, height, OVERSCAN_PX)) else { return };
        if window.try_get_untracked().is_some_and(|w| w != range) {
            let _ = window.try_set(range);
        }
    };
    let scheduled = StoredValue::new(false);
    let on_scroll = Closure::<dyn Fn()>::new(move || {
        if scheduled.get_value() {
            return;
        }
        scheduled.set_value(true);
        request_animation_frame(move || {
            let _ = scheduled.try_set_value(false);
            place();
        });
    });
    if let Some(w) = web_sys::window() {
        let options = web_sys::AddEventListenerOptions::new();
        options.set_passive(true);
        let _ = w.add_event_listener_with_callback_and_add_event_listener_options("scroll", on_scroll.as_ref().unchecked_ref(), &options);
        let _ = w.add_event_listener_with_callback("resize", on_scroll.as_ref().unchecked_ref());
    }
    let on_scroll = StoredValue::new_local(on_scroll);
    on_cleanup(move || {
        on_scroll.with_value(|cb| {
            if let Some(w) = web_sys::window() {
                let _ = w.remove_event_listener_with_callback("scroll", cb.as_ref().unchecked_ref());
                let _ = w.remove_event_listener_with_callback("resize", cb.as_ref().unchecked_ref());
            }
        })
    });
    // New posts, a refresh, or a measured height move the window.
    Effect::new(move |_| {
        feed.layout.track();
        feed.posts.with(|_| ());
        request_animation_frame(place);
    });
    let spacer_above = move || {
        feed.layout.track();
        let start = window.get().start;
        feed.heights.with_value(|h| h.offset(start))
    };
    let spacer_below = move || {
        feed.layout.track();
        let end = window.get().end;
        feed.heights.with_value(|h| h.total() - h.offset(end))
    };
    let shown = move || {
        let range = window.get();
        let generation = feed.generation.get();
        feed.posts.with(|p| range.filter(|i| *i < p.len()).map(|i| (generation, i, p[i].post_id.clone())).collect::<Vec<_>>())
    };
    view! {
        <div class="feed" node_ref=list>
            <div class="feed-spacer" style:height=move || crate::ui::px(spacer_above())></div>
            <Keyed each=shown key=|k| k.clone() let:row>
                <PostCard index=row.1 post_id=row.2 generation=row.0/>
            </Keyed>
            <div class="feed-spacer" style:height=move || crate::ui::px(spacer_below().max(0.0))></div>
        </div>
    }
}

/// One post, measured as it renders (its height keeps the spacers true).
#[component]
fn PostCard(index: usize, post_id: String, generation: u32) -> impl IntoView {
    let feed = expect_context::<Feed>();
    let opener = expect_context::<Opener>();
    let api = expect_context::<ApiClient>();
    let sdk = expect_context::<JsSdk>();
    let clock = expect_context::<ServerClock>();
    let config = expect_context::<Config>();
    let i18n = use_i18n();
    let toaster = use_toast();
    let post = Memo::new(move |_| feed.posts.with(|p| p.get(index).filter(|_| feed.generation.get() == generation).cloned()));
    let Some(first) = post.get_untracked() else { return ().into_any() };
    let card = NodeRef::<html::Article>::new();
    // Measured on every size change (pictures arriving, text unfolding).
    Effect::new(move |_| {
        let Some(el) = card.get() else { return };
        let measure = Closure::<dyn Fn(js_sys::Array)>::new(move |entries: js_sys::Array| {
            let Some(entry) = entries.get(0).dyn_into::<web_sys::ResizeObserverEntry>().ok() else { return };
            let height = entry.target().get_bounding_client_rect().height();
            let changed = feed.heights.try_update_value(|h| {
                let moved = (h.height(index) - height).abs() > 0.5;
                if moved {
                    h.set(index, height);
                }
                moved
            });
            if changed == Some(true) && feed.generation.try_get_untracked() == Some(generation) {
                let _ = feed.layout.try_update(|l| *l += 1);
            }
        });
        if let Ok(observer) = web_sys::ResizeObserver::new(measure.as_ref().unchecked_ref()) {
            observer.observe(&el);
            let observer = StoredValue::new_local(observer);
            on_cleanup(move || observer.with_value(|o| o.disconnect()));
        }
        measure.forget();
    });
    let folded = RwSignal::new(true);
    let long = domain::needs_fold(&first.text, domain::LINE_WIDTH, domain::FOLDED_LINES);
    // Like: shown at once; requests follow the person's last wish, one at a time.
    let wanted = RwSignal::new(None::<bool>);
    let in_flight = StoredValue::new(false);
    let liked = move || post.with(|p| p.as_ref().map(|p| wanted.get().unwrap_or(p.liked_by_me)).unwrap_or(false));
    let likes = move || post.with(|p| p.as_ref().map(|p| domain::shown_likes(p.liked_by_me, p.like_count, wanted.get().unwrap_or(p.liked_by_me))).unwrap_or(0));
    let id_like = post_id.clone();
    let follow_wish = move || {
        if in_flight.get_value() {
            return;
        }
        in_flight.set_value(true);
        let (api, id) = (api.clone(), id_like.clone());
        leptos::task::spawn_local(async move {
            #[cfg(wxf_split)]
            let sending = send_likes(api, feed, id, wanted, toaster, i18n).await;
            #[cfg(not(wxf_split))]
            let sending = send_likes(api, feed, id, wanted, toaster, i18n);
            match sending {
                Ok(send) => send.await,
                // Its code could not be fetched: rolled back, as a refused like is.
                Err(_) => {
                    let _ = wanted.try_set(None);
                    toaster.error(i18n.t().moments_like_failed);
                }
            }
            in_flight.set_value(false);
        });
    };
    let toggle_like = move |_| {
        wanted.set(Some(!liked()));
        follow_wish();
    };
    let open_thread = {
        let id = post_id.clone();
        move |_| {
            opener.thread.set(Some(id.clone()));
            opener.thread_open.set(true);
        }
    };
    let attachment = first.attachment.clone().map(|a| match a {
        Attachment::Images { images } => {
            let pictures: Vec<Picture> = images.into_iter().take(9).filter_map(|i| Some(Picture { url: crate::links::media_src(&i.url)?, width: i.width, height: i.height })).collect();
            let all = StoredValue::new(pictures.clone());
            let sdk = sdk.clone();
            view! {
                <ImageGrid pictures=pictures on_open=move |i: usize| {
                    let (sdk, pictures) = (sdk.clone(), all.get_value());
                    leptos::task::spawn_local(async move {
                        #[cfg(wxf_split)]
                        let opening = open_pictures(sdk, opener, pictures, i).await;
                        #[cfg(not(wxf_split))]
                        let opening = open_pictures(sdk, opener, pictures, i);
                        match opening {
                            Ok(open) => open.await,
                            // Its code could not be fetched: the network; a second tap tries again.
                            Err(_) => toaster.error(error_message(i18n.t(), &ApiError::Network)),
                        }
                    });
                }/>
            }.into_any()
        }
        Attachment::Video { video } => {
            let playing = RwSignal::new(false);
            let (w, h) = crate::ui::media::single_box(video.width, video.height, 240);
            let src = crate::links::media_src(&video.url).unwrap_or_default();
            let poster = crate::links::media_src(&video.poster_url).unwrap_or_default();
            let length = domain::duration_label(video.duration_s);
            view! {
                <div class="moment-video" style:width=format!("{w}px") style:height=format!("{h}px")>
                    <When when=move || playing.get() fallback={
                        let (poster, length) = (poster.clone(), length.clone());
                        move || view! {
                            <button type="button" class="moment-video-poster" aria-label=move || i18n.t().moments_play on:click=move |_| playing.set(true)>
                                <LazyImage src=poster.clone() size=(w, h)/>
                                <span class="moment-video-play" aria-hidden="true">"▶"</span>
                                <span class="moment-video-length">{length.clone()}</span>
                            </button>
                        }
                    }>
                        <video class="moment-video-player" src=src.clone() controls=true autoplay=true playsinline=true></video>
                    </When>
                </div>
            }.into_any()
        }
        Attachment::Link { link } => match crate::links::check_link(&link.url, &config.link_allowlist) {
            Ok(url) => view! {
                <a class="moment-link" href=url rel="noopener noreferrer">
                    {link.cover_url.as_deref().and_then(crate::links::media_src).map(|c| view! { <LazyImage src=c size=(1, 1) class="moment-link-cover".to_owned()/> })}
                    <span class="moment-link-title">{link.title.clone()}</span>
                </a>
            }.into_any(),
            Err(_) => view! {
                <div class="moment-link moment-link-blocked" aria-disabled="true">
                    <span class="moment-link-title">{link.title.clone()}</span>
                    <span class="moment-link-note">{move || i18n.t().moments_link_blocked}</span>
                </div>
            }.into_any(),
        },
    });
    let avatar = crate::links::media_src(&first.author.avatar_url).unwrap_or_default();
    view! {
        <article class="moment" node_ref=card data-post=post_id.clone()>
            <LazyImage src=avatar alt=first.author.name.clone() size=(1, 1) class="moment-avatar".to_owned()/>
            <div class="moment-body">
                <header class="moment-author">
                    <strong class="moment-name">{first.author.name.clone()}</strong>
                    <span class="moment-title">{first.author.title.clone()}</span>
                </header>
                <p class="moment-text" class:moment-text-folded=move || long && folded.get()>{first.text.clone()}</p>
                <When when=move || long>
                    <button type="button" class="btn-link moment-fold" aria-expanded=move || if folded.get() { "false" } else { "true" } on:click=move |_| folded.update(|f| *f = !*f)>
                        {move || if folded.get() { i18n.t().moments_full_text } else { i18n.t().moments_collapse }}
                    </button>
                </When>
                {attachment}
                <footer class="moment-foot">
                    <span class="moment-time">{move || { clock.estimate.track(); relative_time(i18n.t(), clock.now_ms(), first.created_at) }}</span>
                    <span class="moment-actions">
                        <button type="button" class="moment-like" aria-pressed=move || if liked() { "true" } else { "false" } on:click=toggle_like>
                            <span aria-hidden="true">{move || if liked() { "♥" } else { "♡" }}</span>" "<span class="moment-like-count">{likes}</span>
                            <span class="visually-hidden">{move || i18n.t().moments_like}</span>
                        </button>
                        <button type="button" class="moment-comment" on:click=open_thread.clone()>
                            <svg class="icon-inline" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true"><path d="M4 5h16v11H9l-5 4z" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/></svg>" "<span class="moment-comment-count">{move || post.with(|p| p.as_ref().map(|p| p.comment_count).unwrap_or(0))}</span>
                            <span class="visually-hidden">{move || i18n.t().moments_comment}</span>
                        </button>
                    </span>
                </footer>
                {move || post.with(|p| p.as_ref().filter(|p| !p.first_comments.is_empty()).map(|p| {
                    let total = p.comment_count;
                    let comments = p.first_comments.clone();
                    let open = open_thread.clone();
                    view! {
                        <ul class="moment-comments">
                            {comments.into_iter().map(|c| view! { <li class="moment-comment-line"><CommentText comment=c/></li> }).collect_view()}
                            <When when=move || { total > 3 }>
                                <li><button type="button" class="btn-link moment-view-all" on:click=open.clone()>{move || (i18n.t().moments_view_all)(total)}</button></li>
                            </When>
                        </ul>
                    }
                }))}
            </div>
        </article>
    }
    .into_any()
}

/// "Name 回复 Other: text", always as text.
#[component]
fn CommentText(comment: MomentComment) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class="comment-author" class:comment-staff=comment.author.is_staff>{comment.author.name.clone()}</span>
        {comment.reply_to.clone().map(|r| view! { " "<span class="comment-reply">{move || (i18n.t().moments_reply_to)(&r.author_name)}</span> })}
        ": "<span class="comment-text">{comment.text.clone()}</span>
    }
}

/// A comment in the thread as the sheet holds it.
#[derive(Clone, Debug, PartialEq)]
struct ThreadComment {
    /// The server's id, or the idempotency key while unsent.
    key: String,
    comment: MomentComment,
    state: Delivery,
}

crate::deferred_part!(
    /// The comment thread: most visits only scroll and like, so its code comes when a thread is
    /// first opened (or fetched ahead once the feed has shown), not with the feed.
    moments_thread => view! { <CommentsSheet/> }
);

crate::deferred_part!(
    /// The picture preview outside WeChat (inside, WeChat's own previewer shows the pictures):
    /// its code comes with the first picture opened, or fetched ahead once the feed has shown.
    moments_preview => {
        let opener = expect_context::<Opener>();
        view! { <ImagePreview open=opener.preview_open pictures=opener.preview_pictures start=opener.preview_start/> }
    }
);

/// Opens a post's pictures at `start`: WeChat's own viewer inside WeChat, else the feed's preview.
/// Part of the preview's module in the release build (fetched ahead once the feed has shown, or
/// with the first picture opened).
#[cfg_attr(wxf_split, leptos::wasm_split::wasm_split(moments_preview, wasm_split_path = ::leptos::wasm_split, fallible))]
fn open_pictures(sdk: JsSdk, opener: Opener, pictures: Vec<Picture>, start: usize) -> Result<std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>, leptos::wasm_split::SplitLoaderError> {
    Ok(Box::pin(async move {
        let urls: Vec<String> = pictures.iter().map(|p| p.url.clone()).collect();
        if !crate::wechat::preview_with_wechat(&sdk, &urls, start).await && !opener.preview_open.is_disposed() {
            opener.preview_pictures.set(pictures);
            opener.preview_start.set(start);
            opener.preview_open.set(true);
        }
    }))
}

/// All of a post's comments: paged, a reply to one, pending / failed / retry, delete my own.
#[component]
fn CommentsSheet() -> impl IntoView {
    let opener = expect_context::<Opener>();
    let feed = expect_context::<Feed>();
    let api = expect_context::<ApiClient>();
    let i18n = use_i18n();
    let toaster = use_toast();
    let comments = RwSignal::new(Vec::<ThreadComment>::new());
    let cursor = RwSignal::new(None::<String>);
    let state = RwSignal::new(None::<Result<(), ApiError>>);
    let text = RwSignal::new(String::new());
    let reply_to = RwSignal::new(None::<(String, String)>);
    let deleting = RwSignal::new(None::<String>);
    let confirm_delete = RwSignal::new(false);
    let load = {
        let api = api.clone();
        Callback::new(move |more: bool| {
            let Some(post_id) = opener.thread.get_untracked() else { return };
            let api = api.clone();
            let after = if more { cursor.get_untracked() } else { None };
            if !more {
                state.set(None);
                comments.set(Vec::new());
            }
            leptos::task::spawn_local(async move {
                let path = match after {
                    Some(c) => format!("/moments/{post_id}/comments?cursor={}", js_sys::encode_uri_component(&c)),
                    None => format!("/moments/{post_id}/comments"),
                };
                let answer = api.get::<CommentPage>(&path).await;
                if state.is_disposed() {
                    return;
                }
                match answer {
                    Ok(page) => {
                        cursor.set(page.next_cursor);
                        comments.update(|l| l.extend(page.comments.into_iter().map(|c| ThreadComment { key: c.comment_id.clone(), comment: c, state: Delivery::Sent })));
                        state.set(Some(Ok(())));
                    }
                    Err(e) => state.set(Some(Err(e))),
                }
            });
        })
    };
    // What was being written under a post is a draft: back when its thread opens again, even
    // after a reload.
    let draft_key = |post_id: &str| format!("moment_comment.{post_id}");
    Effect::new(move |_| {
        if opener.thread_open.get() {
            if let Some(post_id) = opener.thread.get() {
                reply_to.set(None);
                text.set(crate::drafts::load::<String>(&draft_key(&post_id)).unwrap_or_default());
                untrack(|| load.run(false));
            }
        }
    });
    Effect::new(move |_| {
        let typed = text.get();
        if let Some(post_id) = opener.thread.get_untracked() {
            if typed.trim().is_empty() {
                crate::drafts::discard(&draft_key(&post_id));
            } else {
                crate::drafts::save(&draft_key(&post_id), &typed);
            }
        }
    });
    // The post's counts and first comments follow the thread.
    let sync_post = move || {
        let Some(post_id) = opener.thread.get_untracked() else { return };
        let sent: Vec<MomentComment> = comments.with_untracked(|l| l.iter().filter(|c| c.state == Delivery::Sent).map(|c| c.comment.clone()).collect());
        let more_unloaded = cursor.get_untracked().is_some();
        feed.update_post(&post_id, |p| {
            p.first_comments = sent.iter().take(3).cloned().collect();
            if !more_unloaded {
                p.comment_count = sent.len() as i64;
            }
        });
    };
    let deliver = {
        let api = api.clone();
        Callback::new(move |key: String| {
            let Some(post_id) = opener.thread.get_untracked() else { return };
            let Some((body, reply)) = comments.with_untracked(|l| l.iter().find(|c| c.key == key).map(|c| (c.comment.text.clone(), c.comment.reply_to.as_ref().map(|r| r.comment_id.clone())))) else { return };
            comments.update(|l| l.iter_mut().filter(|c| c.key == key).for_each(|c| c.state = Delivery::Pending));
            let api = api.clone();
            leptos::task::spawn_local(async move {
                let mut request = vec![("text", Json::from(body))];
                if let Some(r) = reply {
                    request.push(("reply_to_comment_id", r.into()));
                }
                let request = Json::object(request);
                let answer = api.send::<MomentComment, _>("POST", &format!("/moments/{post_id}/comments"), Some(&request), Some(&key)).await;
                if comments.is_disposed() {
                    return;
                }
                comments.update(|l| {
                    if let Some(c) = l.iter_mut().find(|c| c.key == key) {
                        match answer {
                            Ok(saved) => {
                                c.comment = saved;
                                c.state = Delivery::Sent;
                            }
                            Err(_) => c.state = Delivery::Failed,
                        }
                    }
                });
                sync_post();
            });
        })
    };
    let post_comment = {
        move || {
            let body = text.get_untracked().trim().to_owned();
            let Some(post_id) = opener.thread.get_untracked() else { return };
            if body.is_empty() || body.chars().count() > 300 {
                return;
            }
            let key = new_idempotency_key();
            let me = use_context::<crate::session::Session>().and_then(|s| s.user.get_untracked());
            let comment = MomentComment {
                comment_id: key.clone(),
                post_id,
                author: domain::CommentAuthor { user_id: me.as_ref().map(|u| u.user_id.clone()).unwrap_or_default(), name: me.map(|u| u.name).unwrap_or_default(), avatar_url: String::new(), is_staff: false },
                text: body,
                reply_to: reply_to.get_untracked().map(|(comment_id, author_name)| domain::ReplyTo { comment_id, author_name }),
                created_at: expect_context::<ServerClock>().now_ms(),
                mine: true,
            };
            comments.update(|l| l.push(ThreadComment { key: key.clone(), comment, state: Delivery::Pending }));
            text.set(String::new());
            reply_to.set(None);
            deliver.run(key);
        }
    };
    let remove = {
        let api = api.clone();
        move || {
            let (Some(post_id), Some(comment_id)) = (opener.thread.get_untracked(), deleting.get_untracked()) else { return };
            let api = api.clone();
            leptos::task::spawn_local(async move {
                let answer = api.send::<Json, ()>("DELETE", &format!("/moments/{post_id}/comments/{comment_id}"), None, None).await;
                if comments.is_disposed() {
                    return;
                }
                match answer {
                    Ok(_) => {
                        comments.update(|l| l.retain(|c| c.comment.comment_id != comment_id));
                        sync_post();
                    }
                    Err(e) => toaster.error(error_message(i18n.t(), &e)),
                }
            });
        }
    };
    let placeholder = Signal::derive(move || Some(reply_to.get().map(|(_, name)| (i18n.t().moments_reply_to)(&name)).unwrap_or_else(|| i18n.t().moments_say_something.to_owned())));
    view! {
        <HalfScreen open=opener.thread_open title=Signal::derive(move || i18n.t().moments_comment.to_owned())>
            <div class="thread">
                {move || match state.get() {
                    None => view! { <Loading/> }.into_any(),
                    Some(Err(error)) => view! { <ErrorView error on_retry=move || load.run(false)/> }.into_any(),
                    Some(Ok(())) => ().into_any(),
                }}
                <ul class="thread-comments">
                    <Keyed each=move || comments.get() key=|c| (c.key.clone(), c.comment.comment_id.clone(), c.state) let:c>
                        {
                            let (key, id, name, mine) = (c.key.clone(), c.comment.comment_id.clone(), c.comment.author.name.clone(), c.comment.mine);
                            let sent = c.state == Delivery::Sent;
                            view! {
                                <li class="thread-comment" data-state=format!("{:?}", c.state)>
                                    <button type="button" class="thread-comment-body" disabled=!sent on:click={let (id, name) = (id.clone(), name.clone()); move |_| reply_to.set(Some((id.clone(), name.clone())))}>
                                        <CommentText comment=c.comment.clone()/>
                                    </button>
                                    {match c.state {
                                        Delivery::Pending => view! { <span class="thread-note">{move || i18n.t().sending}</span> }.into_any(),
                                        Delivery::Failed => view! { <button type="button" class="btn-link thread-retry" on:click=move |_| deliver.run(key.clone())>{move || i18n.t().send_failed_retry}</button> }.into_any(),
                                        Delivery::Sent if mine => view! { <button type="button" class="btn-link thread-delete" on:click=move |_| { deleting.set(Some(id.clone())); confirm_delete.set(true); }>{move || i18n.t().delete}</button> }.into_any(),
                                        Delivery::Sent => ().into_any(),
                                    }}
                                </li>
                            }
                        }
                    </Keyed>
                </ul>
                <When when=move || cursor.get().is_some()>
                    <button type="button" class="btn btn-default btn-small thread-more" on:click=move |_| load.run(true)>{move || i18n.t().moments_load_more_comments}</button>
                </When>
                <div class="thread-composer">
                    <crate::ui::form::TextArea label=Signal::derive(move || i18n.t().moments_comment.to_owned()) value=text max_length=300 placeholder/>
                    <button type="button" class="btn btn-primary btn-small thread-send" disabled=move || text.with(|t| t.trim().is_empty() || t.chars().count() > 300) on:click={let post_comment = post_comment.clone(); move |_| post_comment()}>{move || i18n.t().send}</button>
                </div>
            </div>
        </HalfScreen>
        <Dialog open=confirm_delete danger=true title=Signal::derive(move || i18n.t().moments_delete_confirm.to_owned()) on_confirm=remove/>
    }
}
