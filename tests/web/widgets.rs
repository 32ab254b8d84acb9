//! The shared widgets, mounted and used as a follower would.

use super::{container, until};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use wxfollower::clock::ServerClock;
use wxfollower::i18n::{I18n, Lang};
use wxfollower::ui::*;

/// Mounts `view` with the services widgets read from context; returns its root element.
fn mount<V: IntoView + 'static>(view: impl FnOnce() -> V + 'static) -> web_sys::HtmlElement {
    let root = container();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(I18n { lang: RwSignal::new(Lang::Zh) });
        provide_context(Toaster::new());
        provide_context(ServerClock::new());
        view()
    });
    handle.forget();
    root
}

fn find(root: &web_sys::HtmlElement, selector: &str) -> Option<web_sys::HtmlElement> {
    root.query_selector(selector).ok().flatten().and_then(|e| e.dyn_into().ok())
}

fn click(root: &web_sys::HtmlElement, selector: &str) {
    find(root, selector).unwrap_or_else(|| panic!("no {selector}")).click();
}

fn text(root: &web_sys::HtmlElement) -> String {
    root.text_content().unwrap_or_default()
}

fn back() {
    web_sys::window().unwrap().history().unwrap().back().unwrap();
}

#[wasm_bindgen_test]
async fn a_loading_button_cannot_be_tapped_twice() {
    let taps = RwSignal::new(0);
    let loading = RwSignal::new(false);
    let root = mount(move || view! { <Button loading=loading on_click=move || taps.update(|n| *n += 1)>"Pay"</Button> });
    click(&root, "button");
    assert_eq!(taps.get_untracked(), 1);
    loading.set(true);
    assert!(until(|| find(&root, "button[disabled]").is_some()).await);
    click(&root, "button");
    assert_eq!(taps.get_untracked(), 1, "a loading button ignores taps");
    assert_eq!(find(&root, "button").unwrap().get_attribute("aria-busy").as_deref(), Some("true"));
}

#[wasm_bindgen_test]
async fn checkbox_and_switch_report_their_new_state() {
    let checked = RwSignal::new(false);
    let on = RwSignal::new(false);
    let root = mount(move || view! {
        <Checkbox checked=checked on_toggle=move |v| checked.set(v) label="全选".to_owned()/>
        <Switch on=on on_toggle=move |v| on.set(v) label="提醒".to_owned()/>
    });
    click(&root, "input[type=checkbox]");
    assert!(checked.get_untracked());
    click(&root, "[role=switch]");
    assert!(until(|| find(&root, "[role=switch]").unwrap().get_attribute("aria-checked").as_deref() == Some("true")).await);
}

#[wasm_bindgen_test]
async fn the_stepper_stays_in_bounds_and_explains_the_limit() {
    let value = RwSignal::new(1i64);
    let over = RwSignal::new(None::<i64>);
    let root = mount(move || view! {
        <Stepper value=value min=1i64 max=3i64 on_change=move |v| value.set(v) on_over=move |m| over.set(Some(m)) label="数量".to_owned()/>
    });
    assert!(find(&root, ".stepper-button[disabled]").is_some(), "minus is disabled at the minimum");
    let plus = || find(&root, ".stepper-button:last-child").unwrap();
    plus().click();
    plus().click();
    assert_eq!(value.get_untracked(), 3);
    plus().click();
    assert_eq!(value.get_untracked(), 3, "never past the maximum");
    assert_eq!(over.get_untracked(), Some(3), "the page is told why");
    assert!(until(|| text(&root).contains('3')).await);
}

#[wasm_bindgen_test]
async fn badges_progress_and_tabs() {
    let selected = RwSignal::new(0usize);
    let root = mount(move || view! {
        <Badge count=120u32/>
        <span class="zero"><Badge count=0u32/></span>
        <Progress value=0.42 label="已抢".to_owned()/>
        <Tabs items=vec!["10:00".to_owned(), "12:00".to_owned()] selected=selected label="场次".to_owned()/>
    });
    assert_eq!(find(&root, ".badge").unwrap().text_content().as_deref(), Some("99+"));
    assert!(find(&root, ".zero .badge").is_none(), "no badge for zero");
    assert_eq!(find(&root, "[role=progressbar]").unwrap().get_attribute("aria-valuenow").as_deref(), Some("42"));
    click(&root, "[role=tab]:nth-child(2)");
    assert_eq!(selected.get_untracked(), 1);
    assert!(until(|| find(&root, "[role=tab]:nth-child(2)").unwrap().get_attribute("aria-selected").as_deref() == Some("true")).await);
}

#[wasm_bindgen_test]
async fn a_toast_shows_then_goes_away_by_itself() {
    let toaster = Toaster::new();
    let root = mount(move || {
        provide_context(toaster);
        view! { <ToastHost/> }
    });
    toaster.success("已加入购物车");
    assert!(until(|| text(&root).contains("已加入购物车")).await);
    gloo_timers::future::TimeoutFuture::new(toast::TOAST_MS as u32 + 200).await;
    assert!(!text(&root).contains("已加入购物车"));
}

#[wasm_bindgen_test]
async fn a_dialog_takes_focus_confirms_and_gives_focus_back() {
    let open = RwSignal::new(false);
    let confirmed = RwSignal::new(0);
    let root = mount(move || view! {
        <button class="opener" on:click=move |_| open.set(true)>"删除"</button>
        <Dialog open=open title="确定删除？".to_owned() danger=true on_confirm=move || confirmed.update(|n| *n += 1)/>
    });
    let opener = find(&root, ".opener").unwrap();
    opener.focus().unwrap();
    opener.click();
    assert!(until(|| find(&root, "[role=alertdialog]").is_some()).await);
    let document = web_sys::window().unwrap().document().unwrap();
    assert!(until(|| document.active_element().is_some_and(|a| a.closest("[role=alertdialog]").ok().flatten().is_some())).await, "focus moves into the dialog");
    click(&root, ".dialog-confirm");
    assert_eq!(confirmed.get_untracked(), 1);
    assert!(until(|| find(&root, "[role=alertdialog]").is_none()).await);
    assert!(until(|| document.active_element().is_some_and(|a| a.class_name() == "opener")).await, "focus returns to the opener");
    assert_eq!(overlay::open_overlays(), 0);
}

#[wasm_bindgen_test]
async fn the_back_button_closes_the_innermost_overlay_first() {
    let half = RwSignal::new(false);
    let dialog = RwSignal::new(false);
    let root = mount(move || view! {
        <HalfScreen open=half title="优惠券".to_owned()><p>"内容"</p></HalfScreen>
        <Dialog open=dialog title="确定？".to_owned() on_confirm=|| ()/>
    });
    let before = web_sys::window().unwrap().history().unwrap().length().unwrap();
    half.set(true);
    assert!(until(|| find(&root, ".panel-half").is_some()).await);
    dialog.set(true);
    assert!(until(|| find(&root, ".panel-dialog").is_some()).await);
    assert_eq!(overlay::open_overlays(), 2);
    back();
    assert!(until(|| !dialog.get_untracked()).await, "back closes the dialog on top");
    assert!(half.get_untracked(), "the sheet below stays open");
    back();
    assert!(until(|| !half.get_untracked()).await, "a second back closes the sheet");
    assert!(until(|| find(&root, ".panel-half").is_none()).await);
    // Closing from the page removes its history entry too.
    half.set(true);
    assert!(until(|| overlay::open_overlays() == 1).await);
    click(&root, ".half-close");
    assert!(until(|| overlay::open_overlays() == 0).await);
    gloo_timers::future::TimeoutFuture::new(100).await;
    let after = web_sys::window().unwrap().history().unwrap().length().unwrap();
    assert!(after >= before, "history was not walked back past the page");
}

#[wasm_bindgen_test]
async fn an_action_sheet_reports_the_choice_and_closes() {
    let open = RwSignal::new(true);
    let chosen = RwSignal::new(None::<usize>);
    let root = mount(move || view! {
        <ActionSheet open=open actions=vec![SheetAction { label: "发送给朋友".into(), danger: false }, SheetAction { label: "删除".into(), danger: true }]
            on_choose=move |i| chosen.set(Some(i))/>
    });
    assert!(until(|| find(&root, ".sheet-danger").is_some()).await);
    click(&root, ".sheet-danger");
    assert_eq!(chosen.get_untracked(), Some(1));
    assert!(until(|| !open.get_untracked() && overlay::open_overlays() == 0).await);
}

#[wasm_bindgen_test]
async fn a_popover_closes_on_an_outside_tap_and_on_back() {
    let open = RwSignal::new(true);
    let root = mount(move || view! { <div class="anchor"><Popover open=open label="菜单".to_owned()><button>"搜索"</button></Popover></div> });
    assert!(until(|| find(&root, "[role=menu]").is_some()).await);
    click(&root, ".popover-catcher");
    assert!(until(|| find(&root, "[role=menu]").is_none()).await);
    open.set(true);
    assert!(until(|| find(&root, "[role=menu]").is_some()).await);
    back();
    assert!(until(|| find(&root, "[role=menu]").is_none()).await);
}

#[wasm_bindgen_test]
async fn picture_grids_lay_out_like_moments_and_open_the_preview() {
    let pics = |n: usize| (0..n).map(|i| Picture { url: format!("/p{i}.svg"), width: 800, height: 800 }).collect::<Vec<_>>();
    let opened = RwSignal::new(None::<usize>);
    let preview = RwSignal::new(false);
    let root = mount(move || view! {
        <div class="four"><ImageGrid pictures=pics(4) on_open=|_| ()/></div>
        <div class="nine"><ImageGrid pictures=pics(9) on_open=move |i| { opened.set(Some(i)); preview.set(true); }/></div>
        <ImagePreview open=preview pictures=pics(9) start=Signal::derive(move || opened.get().unwrap_or(0))/>
    });
    assert!(find(&root, ".four .grid-2").is_some(), "four pictures in 2×2");
    assert_eq!(root.query_selector_all(".nine .grid-3 .grid-cell").unwrap().length(), 9);
    assert!(root.query_selector_all(".nine img[loading=lazy]").unwrap().length() == 9, "pictures load lazily");
    click(&root, ".nine .grid-cell:nth-child(3)");
    assert_eq!(opened.get_untracked(), Some(2));
    assert!(until(|| find(&root, ".preview").is_some()).await);
    assert!(until(|| text(&root).contains("3 / 9")).await, "the preview starts at the tapped picture");
    back();
    assert!(until(|| find(&root, ".preview").is_none()).await, "back closes the preview");
}

#[wasm_bindgen_test]
async fn a_broken_picture_keeps_its_box() {
    let root = mount(|| view! { <LazyImage src="/definitely-missing.png".to_owned() alt="x".to_owned() size=(300, 100)/> });
    assert!(until(|| find(&root, ".img-broken").is_some()).await);
    assert_eq!(find(&root, ".img").unwrap().style().get_property_value("aspect-ratio").unwrap_or_default(), "300 / 100");
}

#[wasm_bindgen_test]
async fn the_countdown_reaches_zero_once_on_the_server_clock() {
    let zeros = RwSignal::new(0);
    let clock = ServerClock::new();
    let target = clock.now_ms() + 1_500;
    let root = mount(move || view! { <Countdown target=target on_zero=move || zeros.update(|n| *n += 1)/> });
    assert!(until(|| text(&root) == "00:00:02").await);
    assert!(until(|| text(&root) == "00:00:00").await);
    gloo_timers::future::TimeoutFuture::new(300).await;
    assert_eq!(zeros.get_untracked(), 1, "on_zero fires exactly once");
}

#[wasm_bindgen_test]
async fn a_paged_list_shows_retry_and_the_end() {
    let state = RwSignal::new(PageState::Failed("网络不给力".into()));
    let asked = RwSignal::new(0);
    let root = mount(move || view! { <LoadMore state=state on_load_more=move || asked.update(|n| *n += 1)/> });
    assert!(text(&root).contains("网络不给力"));
    click(&root, ".load-more button");
    assert!(asked.get_untracked() >= 1);
    state.set(PageState::Done);
    assert!(until(|| text(&root).contains("没有更多了")).await);
}

#[wasm_bindgen_test]
async fn a_keyed_list_keeps_moves_and_drops_rows_by_key() {
    let items = RwSignal::new(vec![("a", 1), ("b", 2), ("c", 3)]);
    let built = RwSignal::new(0);
    let ended = RwSignal::new(Vec::<&'static str>::new());
    let root = mount(move || view! {
        <ul>
            <Keyed each=move || items.get() key=|item| item.0 let:item>
                {
                    built.update(|n| *n += 1);
                    let (name, count) = item;
                    // A row's owner ends with the row.
                    on_cleanup(move || ended.update(|e| e.push(name)));
                    view! { <li data-key=name>{format!("{name}{count}")}</li> }
                }
            </Keyed>
        </ul>
    });
    let rows = |root: &web_sys::HtmlElement| -> Vec<web_sys::Element> {
        let list = root.query_selector_all("li").unwrap();
        (0..list.length()).filter_map(|i| list.item(i)?.dyn_into().ok()).collect()
    };
    assert_eq!(text(&root), "a1b2c3");
    assert_eq!(built.get_untracked(), 3);
    let [a, b, c] = <[web_sys::Element; 3]>::try_from(rows(&root)).unwrap();

    // Reordered, one row gone, one new, and a kept key with other data: kept rows are moved,
    // not rebuilt (the same elements, their text as built).
    items.set(vec![("c", 30), ("d", 4), ("a", 10)]);
    assert!(until(|| text(&root) == "c3d4a1").await, "got {}", text(&root));
    let now = rows(&root);
    assert!(now[0] == c && now[2] == a, "kept rows are the same elements");
    assert!(now[1] != b);
    assert_eq!(built.get_untracked(), 4, "only the new key's row was built");
    assert_eq!(ended.get_untracked(), vec!["b"], "the dropped row's owner ended, the kept ones did not");

    items.set(vec![]);
    assert!(until(|| rows(&root).is_empty()).await);
    let mut gone = ended.get_untracked();
    gone.sort();
    assert_eq!(gone, vec!["a", "b", "c", "d"]);
}

#[wasm_bindgen_test]
async fn form_fields_keep_values_count_characters_and_show_errors() {
    let note = RwSignal::new(String::new());
    let mood = RwSignal::new(None::<String>);
    let care = RwSignal::new(vec![]);
    let stars = RwSignal::new(None::<u8>);
    let error = RwSignal::new(None::<String>);
    let root = mount(move || view! {
        <TextArea label="备注".to_owned() value=note max_length=10 error=error/>
        <ChoiceField label="情绪".to_owned() value=mood options=vec![Choice { value: "happy".into(), label: "开心".into() }, Choice { value: "calm".into(), label: "平稳".into() }]/>
        <MultiChoiceField label="自理".to_owned() value=care options=vec![Choice { value: "a".into(), label: "A".into() }, Choice { value: "b".into(), label: "B".into() }]/>
        <RatingField label="食欲".to_owned() value=stars/>
    });
    let area: web_sys::HtmlTextAreaElement = root.query_selector("textarea").unwrap().unwrap().dyn_into().unwrap();
    area.set_value("今天很好");
    area.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    assert_eq!(note.get_untracked(), "今天很好");
    assert!(until(|| text(&root).contains("4/10")).await, "the counter counts characters, not bytes");
    error.set(Some("最多 10 字".into()));
    assert!(until(|| find(&root, ".field-error[role=alert]").is_some()).await);
    assert_eq!(area.get_attribute("aria-invalid").as_deref(), Some("true"));
    click(&root, ".choices input[type=radio]");
    assert_eq!(mood.get_untracked().as_deref(), Some("happy"));
    click(&root, "[role=group] input[type=checkbox]:not(:checked)");
    assert_eq!(care.get_untracked(), vec!["a".to_owned()]);
    click(&root, "[role=group] input[type=checkbox]:checked");
    assert_eq!(care.get_untracked(), Vec::<String>::new(), "a second tap takes the option back");
    let radios = root.query_selector_all(".choices[role=radiogroup] input[type=radio]").unwrap();
    let name = |i| radios.get(i).unwrap().unchecked_into::<web_sys::Element>().get_attribute("name");
    assert!(name(0).is_some() && name(0) == name(1), "the radios are one group");
    click(&root, ".star:nth-child(3)");
    assert_eq!(stars.get_untracked(), Some(3));
}

fn touch(target: &web_sys::HtmlElement, kind: &str, y: f64) {
    let dispatch = js_sys::Function::new_with_args(
        "el, kind, y",
        "const t = new Touch({identifier: 1, target: el, clientX: 10, clientY: y}); \
         el.dispatchEvent(new TouchEvent(kind, {touches: kind === 'touchend' ? [] : [t], changedTouches: [t], bubbles: true}));",
    );
    dispatch.call3(&wasm_bindgen::JsValue::NULL, target, &kind.into(), &y.into()).unwrap();
}

#[wasm_bindgen_test]
async fn number_date_and_switch_fields_are_one_line_fields_by_kind() {
    let temperature = RwSignal::new("36.5".to_owned());
    let date = RwSignal::new(String::new());
    let on = RwSignal::new(false);
    let root = mount(move || view! {
        <TextField label="体温".to_owned() value=temperature kind=InputKind::Decimal unit="℃".to_owned() hint=form::range_hint(Some(35.0), Some(42.0), Some("℃"))/>
        <TextField label="日期".to_owned() value=date kind=InputKind::Date/>
        <SwitchField label="提醒".to_owned() value=on/>
    });
    assert!(text(&root).contains("35–42 ℃"), "the range is stated");
    let input: web_sys::HtmlInputElement = root.query_selector(".input-number").unwrap().unwrap().dyn_into().unwrap();
    assert!(until(|| input.value() == "36.5").await, "shows the value it was given");
    assert_eq!(input.get_attribute("inputmode").as_deref(), Some("decimal"), "the decimal keypad");
    assert!(text(&root).contains('℃'), "the unit is shown after the number");
    let hint_id = root.query_selector(".field-hint").unwrap().unwrap().id();
    assert!(input.get_attribute("aria-describedby").unwrap_or_default().contains(&hint_id));
    input.set_value("36.");
    input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    assert_eq!(temperature.get_untracked(), "36.", "half-typed numbers are kept as typed");
    let day: web_sys::HtmlInputElement = root.query_selector("input[type=date]").unwrap().unwrap().dyn_into().unwrap();
    day.set_value("2026-12-01");
    day.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    assert_eq!(date.get_untracked(), "2026-12-01");
    click(&root, "[role=switch]");
    assert!(on.get_untracked());
}

#[wasm_bindgen_test]
async fn the_route_progress_shows_only_while_a_navigation_waits() {
    let routing = RwSignal::new(false);
    let root = mount(move || view! { <RouteProgress active=routing/> });
    let bar = find(&root, ".route-progress").expect("the bar is always in the page");
    assert!(!bar.class_list().contains("active"));
    assert_eq!(bar.get_attribute("aria-hidden").as_deref(), Some("true"), "hidden from screen readers when idle");
    routing.set(true);
    assert!(until(|| bar.class_list().contains("active")).await);
    assert_eq!(bar.get_attribute("aria-hidden").as_deref(), Some("false"));
    assert_eq!(bar.get_attribute("aria-label").as_deref(), Some("正在加载"));
    routing.set(false);
    assert!(until(|| !bar.class_list().contains("active")).await);
}

#[wasm_bindgen_test]
async fn pulling_far_enough_refreshes_a_short_pull_does_not_and_a_refresh_shows() {
    web_sys::window().unwrap().scroll_to_with_x_and_y(0.0, 0.0);
    let refreshes = RwSignal::new(0);
    let refreshing = RwSignal::new(false);
    let root = mount(move || view! {
        <PullToRefresh refreshing=refreshing on_refresh=move || refreshes.update(|n| *n += 1)><p class="content">"列表"</p></PullToRefresh>
    });
    let area = find(&root, ".pull").unwrap();
    let indicator = || find(&root, ".pull-indicator").unwrap();
    let height = || indicator().style().get_property_value("height").unwrap_or_default();
    // The gesture is installed once the list has shown (its own module in the release build).
    assert!(until(|| {
        touch(&area, "touchstart", 100.0);
        touch(&area, "touchmove", 140.0);
        text(&root).contains("下拉刷新")
    }).await, "a short pull says pull to refresh");
    assert_eq!(height(), "20px", "the indicator follows half the finger's way");
    touch(&area, "touchend", 140.0);
    assert_eq!(refreshes.get_untracked(), 0, "a short pull does not refresh");
    assert!(until(|| height() == "0px").await, "and springs back");
    touch(&area, "touchstart", 100.0);
    touch(&area, "touchmove", 260.0);
    assert!(until(|| text(&root).contains("松开刷新")).await);
    touch(&area, "touchend", 260.0);
    assert_eq!(refreshes.get_untracked(), 1);
    refreshing.set(true);
    assert!(until(|| text(&root).contains("正在刷新") && height() == "44px").await, "a refresh on the way shows");
    touch(&area, "touchstart", 100.0);
    touch(&area, "touchmove", 260.0);
    touch(&area, "touchend", 260.0);
    assert_eq!(refreshes.get_untracked(), 1, "no second refresh while one is on the way");
    assert!(find(&root, ".content").is_some());
}

#[wasm_bindgen_test]
async fn a_toast_outliving_its_toaster_is_dropped_quietly() {
    // A cart sync can answer after the page (and its toaster) is gone: its toast, and the timer
    // of one already showing, must not touch the disposed toaster (a panic ends the whole app).
    let owner = Owner::new();
    let toaster = owner.with(Toaster::new);
    toaster.info("shown as the page goes");
    owner.cleanup();
    gloo_timers::future::TimeoutFuture::new(wxfollower::ui::toast::TOAST_MS as u32 + 200).await;
    toaster.error("answered after the page went");
    assert!(toaster.current.try_get_untracked().is_none(), "the toaster is gone");
}

/// In the browser a number's text is read and written by JavaScript (`parse_number`,
/// `number_text`), not by Rust's float code: the same values, the same refusals.
#[wasm_bindgen_test]
fn numbers_are_read_and_written_by_the_browser_as_rust_would() {
    use wxfollower::json::{number_text, parse_number};
    for (text, value) in [("36.5", 36.5), ("-2", -2.0), (".5", 0.5), ("5.", 5.0), ("+1e3", 1000.0), ("2.5E-3", 0.0025), ("0.1", 0.1), ("123456789.123456789", 123456789.123456789)] {
        assert_eq!(parse_number(text), Some(value), "{text}");
    }
    for text in ["", "-", ".", "1e", "12abc", "0x10", "Infinity", "NaN", "1e999", " 1"] {
        assert_eq!(parse_number(text), None, "{text:?}");
    }
    for value in [36.5, -2.0, 0.1, 1.0 / 3.0, 5e-324, 1.7976931348623157e308, 123456.789] {
        assert_eq!(parse_number(&number_text(value)), Some(value), "{value} survives its text");
    }
    assert_eq!(number_text(36.5), "36.5");
    assert_eq!(number_text(-2.0), "-2");
}
