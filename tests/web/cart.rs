//! The cart page on a stubbed API: its states, selection and totals, limits, removal with undo.

use super::{call_field, calls, calls_to, container, provide_services, stub_fetch, until};
use leptos::prelude::*;
use wxfollower::router::Router;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use wxfollower::cart::store::CartStore;
use wxfollower::cart::CartPage;
use wxfollower::ui::ToastHost;

/// A cart body on one line (it is embedded in the stub's JavaScript string).
fn cart_json(version: i64, lines: &str) -> String {
    format!(r#"{{"version":{version},"updated_at":1,"stores":[{lines}]}}"#).replace('\n', "")
}

const TWO_STORES: &str = r#"
{"store_id":"s1","name":"武汉广场店","channel":"mall","lines":[
  {"line_id":"a","sku_id":"sa","store_id":"s1","title":"T恤","spec":"L","image_url":"","unit_price_fen":7900,"price_when_added_fen":7900,"quantity":2,"stock":2,"limit_per_person":5,"selected":false,"status":"ok"},
  {"line_id":"b","sku_id":"sb","store_id":"s1","title":"丝巾","spec":"","image_url":"","unit_price_fen":25800,"price_when_added_fen":25800,"quantity":1,"stock":0,"limit_per_person":3,"selected":false,"status":"out_of_stock"}]},
{"store_id":"s2","name":"奥特莱斯","channel":"outlet","lines":[
  {"line_id":"c","sku_id":"sc","store_id":"s2","title":"背包","spec":"","image_url":"","unit_price_fen":19900,"price_when_added_fen":19900,"quantity":1,"stock":40,"limit_per_person":3,"selected":false,"status":"ok"},
  {"line_id":"d","sku_id":"sd","store_id":"s2","title":"跑鞋","spec":"","image_url":"","unit_price_fen":45900,"price_when_added_fen":49900,"quantity":1,"stock":15,"limit_per_person":2,"selected":false,"status":"price_changed"}]}"#;

/// The mounted page; dropping it unmounts the page (its cart store's timers stop too).
struct Mounted {
    root: web_sys::HtmlElement,
    _handle: leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>,
}

impl std::ops::Deref for Mounted {
    type Target = web_sys::HtmlElement;
    fn deref(&self) -> &web_sys::HtmlElement {
        &self.root
    }
}

/// Mounts the cart page for a fresh person (nothing cached) on the stubbed API.
fn mount_cart(owner: &str) -> Mounted {
    let window = web_sys::window().unwrap();
    window.local_storage().unwrap().unwrap().clear().unwrap();
    let root = container();
    let owner = owner.to_owned();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        let (api, _) = provide_services();
        let store = CartStore::new(expect_context(), expect_context());
        provide_context(store);
        store.want(&api, &owner);
        view! { <Router><CartPage/><ToastHost/></Router> }.into_any()
    });
    Mounted { root, _handle: handle }
}

fn text(root: &web_sys::HtmlElement) -> String {
    root.text_content().unwrap_or_default()
}

fn click(root: &web_sys::HtmlElement, selector: &str) {
    root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("no {selector}")).dyn_into::<web_sys::HtmlElement>().unwrap().click();
}

#[wasm_bindgen_test]
async fn the_cart_is_read_once_a_page_that_shows_it_is_built_not_at_sign_in() {
    web_sys::window().unwrap().local_storage().unwrap().unwrap().clear().unwrap();
    let body = cart_json(1, TWO_STORES);
    stub_fetch(&format!("return new Response('{body}', {{status: 200}});"));
    let root = container();
    let shown = RwSignal::new(false);
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        let (api, _) = provide_services();
        let store = CartStore::new(expect_context(), expect_context());
        provide_context(store);
        store.want(&api, "web-cart-later");
        view! { <Router><wxfollower::ui::When when=move || shown.get()><CartPage/></wxfollower::ui::When></Router> }.into_any()
    });
    // Signed in, on a page without the cart: nothing read.
    gloo_timers::future::TimeoutFuture::new(100).await;
    assert_eq!(calls_to("/cart").len(), 0, "no cart read before a page shows it");
    shown.set(true);
    assert!(until(|| root.query_selector_all(".store").unwrap().length() == 2).await, "the cart page opened it");
    assert_eq!((0..calls().length()).filter(|i| call_field(*i, &["url"]).ends_with("/cart")).count(), 1, "read once");
}

#[wasm_bindgen_test]
async fn a_failed_load_offers_retry_and_an_empty_cart_a_way_to_shop() {
    let empty = cart_json(1, "");
    stub_fetch(&format!("if (n <= 3) return new Response('{{\"code\":\"internal\",\"message\":\"x\"}}', {{status: 500}}); return new Response('{empty}', {{status: 200}});"));
    let root = mount_cart("web-cart-1");
    assert!(until(|| root.query_selector("[role=alert]").unwrap().is_some()).await, "error with retry");
    click(&root, "[role=alert] button");
    assert!(until(|| text(&root).contains("购物车空空如也")).await);
    assert!(root.query_selector("a[href='/shop']").unwrap().is_some(), "a way back to shopping");
}

#[wasm_bindgen_test]
async fn lines_by_store_the_unavailable_section_and_the_total() {
    let body = cart_json(1, TWO_STORES);
    stub_fetch(&format!("if ((init && init.method) === 'POST') return new Response('{body}'.replace(/\"selected\":false,\"status\":\"ok\"/g, '\"selected\":true,\"status\":\"ok\"').replace('\"version\":1', '\"version\":2'), {{status: 200}}); return new Response('{body}', {{status: 200}});"));
    let root = mount_cart("web-cart-2");
    assert!(until(|| root.query_selector_all(".store").unwrap().length() == 2).await, "two stores");
    assert_eq!(root.query_selector_all(".store .cart-line").unwrap().length(), 2, "only available lines in the stores");
    // The unavailable lines are a part of their own, built once the cart has some.
    assert!(until(|| root.query_selector(".unavailable-lines").unwrap().is_some()).await, "the unavailable section comes");
    let unavailable = text(&root.query_selector(".unavailable-lines").unwrap().unwrap().dyn_into().unwrap());
    assert!(unavailable.contains("已售罄"), "sold out says so");
    assert!(unavailable.contains("¥499.00") && unavailable.contains("¥459.00"), "a changed price shows old and new");
    assert!(text(&root).contains("¥0.00"), "nothing selected yet");
    click(&root, ".cart-summary .checkbox-input");
    assert!(until(|| text(&root).contains("¥357.00")).await, "2 × 79 + 199, unavailable lines excluded: {}", text(&root));
    let selection = || calls_to("/cart").into_iter().find(|&i| call_field(i, &["method"]) == "POST");
    assert!(until(|| selection().is_some()).await, "the selection is sent: {:?}", super::sent());
    let sent: serde_json::Value = serde_json::from_str(&call_field(selection().unwrap(), &["body"])).unwrap();
    assert_eq!(sent["selected"], true);
    assert_eq!(sent["version"], 1, "against the version it was made on");
    let ticked = |root: &web_sys::HtmlElement| root.query_selector_all(".store .cart-line .checkbox-input:checked").unwrap().length();
    assert_eq!(ticked(&root), 2, "every available line's box is ticked");
    // Each store's own box and subtotal follow its lines.
    let subtotals = |root: &web_sys::HtmlElement| {
        let all = root.query_selector_all(".store .store-subtotal").unwrap();
        (0..all.length()).map(|i| all.item(i).unwrap().text_content().unwrap_or_default()).collect::<Vec<_>>().join(" | ")
    };
    let stores_ticked = |root: &web_sys::HtmlElement| root.query_selector_all(".store .store-header .checkbox-input:checked").unwrap().length();
    assert!(until(|| subtotals(&root).contains("¥158.00") && subtotals(&root).contains("¥199.00") && stores_ticked(&root) == 2).await, "each store's subtotal: {}", subtotals(&root));
    // Edit mode has boxes of its own (for deleting); back from it, each line's box shows the line.
    let selections = calls_to("/cart/selection").len();
    click(&root, ".edit-cart");
    assert!(until(|| ticked(&root) == 0).await, "nothing marked for deleting yet");
    // Marking everything, then one store's lines off again: the boxes follow the marks.
    click(&root, ".cart-summary .checkbox-input");
    assert!(until(|| ticked(&root) == 2 && text(&root).contains("删除(2)")).await, "select-all marks every line: {}", text(&root));
    click(&root, ".store:first-of-type .store-header .checkbox-input");
    assert!(until(|| ticked(&root) == 1 && text(&root).contains("删除(1)")).await, "a store's box unmarks its lines: {}", text(&root));
    assert_eq!(calls_to("/cart/selection").len(), selections, "marking is not selecting: {:?}", super::sent());
    click(&root, ".edit-cart");
    assert!(until(|| ticked(&root) == 2).await, "still selected after editing");
    // One store's box off: its lines, its subtotal and the total follow at once (before sending).
    click(&root, ".store:first-of-type .store-header .checkbox-input");
    assert!(until(|| ticked(&root) == 1 && stores_ticked(&root) == 1 && subtotals(&root).contains("¥0.00") && text(&root).contains("¥199.00")).await, "a store unselected: {}", subtotals(&root));
    // The T-shirt has 2 left: asking for a third explains why not.
    click(&root, ".store:first-of-type .stepper-button:last-child");
    assert!(until(|| text(&root).contains("库存仅剩 2 件")).await);
}

#[wasm_bindgen_test]
async fn a_change_the_rules_refuse_is_explained_on_whatever_page_the_follower_is() {
    web_sys::window().unwrap().local_storage().unwrap().unwrap().clear().unwrap();
    let body = cart_json(1, TWO_STORES);
    // Adding is refused by the per-person limit; everything else answers with the cart.
    stub_fetch(&format!("if ((init && init.method) === 'POST' && String(url).endsWith('/cart/lines')) return new Response('{{\"code\":\"over_limit\",\"message\":\"x\",\"max_quantity\":3}}', {{status: 422}}); return new Response('{body}', {{status: 200}});"));
    let root = container();
    let store = RwSignal::new(None::<CartStore>);
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        let (api, _) = provide_services();
        let carts = CartStore::new(expect_context(), expect_context());
        provide_context(carts);
        carts.want(&api, "web-cart-refused");
        store.set(Some(wxfollower::cart::store::use_cart()));
        // A page that is not the cart (the shop adds this way), and the app's toasts.
        view! { <p>"shop"</p><ToastHost/> }.into_any()
    });
    let carts = store.get_untracked().unwrap();
    carts.change(wxfollower::cart::domain::Change::Add { sku_id: "sa".into(), quantity: 1 });
    assert!(until(|| text(&root).contains("最多只能买 3 件")).await, "the limit is explained: {}", text(&root));
    assert!(carts.outbox.with_untracked(Vec::is_empty), "the refused change is dropped, not retried");
}

#[wasm_bindgen_test]
async fn removing_can_be_undone_and_is_sent_only_after() {
    let body = cart_json(1, TWO_STORES);
    stub_fetch(&format!("return new Response('{body}', {{status: 200}});"));
    let root = mount_cart("web-cart-3");
    assert!(until(|| root.query_selector_all(".store").unwrap().length() == 2).await);
    click(&root, ".edit-cart");
    assert!(until(|| root.query_selector(".delete-marked").unwrap().is_some()).await);
    click(&root, ".store:first-of-type .cart-line .checkbox-input");
    assert!(until(|| root.query_selector(".delete-marked:not([disabled])").unwrap().is_some()).await, "one line marked");
    click(&root, ".delete-marked");
    let document = web_sys::window().unwrap().document().unwrap();
    assert!(until(|| document.query_selector("[role=alertdialog]").unwrap().is_some()).await, "asks first");
    document.query_selector("[role=alertdialog] .dialog-confirm").unwrap().unwrap().dyn_into::<web_sys::HtmlElement>().unwrap().click();
    assert!(until(|| root.query_selector(".undo-bar").unwrap().is_some()).await);
    assert!(until(|| root.query_selector_all(".store").unwrap().length() == 1).await, "hidden at once");
    click(&root, ".undo");
    assert!(until(|| root.query_selector_all(".store").unwrap().length() == 2).await, "undo brings it back");
    let before = calls().length();
    gloo_timers::future::TimeoutFuture::new(4_500).await;
    let sent: Vec<String> = (before..calls().length()).map(|i| format!("{} {} {}", call_field(i, &["method"]), call_field(i, &["url"]), call_field(i, &["body"]))).collect();
    assert!(sent.iter().all(|c| !c.contains("/cart/removal")), "an undone removal is never sent: {sent:?}");
}

#[wasm_bindgen_test]
async fn changes_that_cannot_be_sent_are_kept_and_said_so() {
    let body = cart_json(1, TWO_STORES);
    stub_fetch(&format!("if ((init && init.method) !== 'GET' && init && init.method) return new Response('{{\"code\":\"unavailable\",\"message\":\"x\"}}', {{status: 503}}); return new Response('{body}', {{status: 200}});"));
    let root = mount_cart("web-cart-4");
    assert!(until(|| root.query_selector_all(".store").unwrap().length() == 2).await);
    click(&root, ".store:nth-of-type(2) .cart-line .checkbox-input");
    assert!(until(|| root.query_selector(".sync-banner").unwrap().is_some()).await, "the follower is told");
    let saved = web_sys::window().unwrap().local_storage().unwrap().unwrap().get_item("wxf.cart_outbox.web-cart-4").unwrap();
    assert!(saved.unwrap_or_default().contains("\"select\""), "kept for after a reload");
    // The API is back: the banner's retry sends it and the store has nothing left to send (a
    // store still retrying would go on sending into the tests that follow).
    stub_fetch(&format!("return new Response('{body}', {{status: 200}});"));
    click(&root, ".sync-banner button");
    assert!(until(|| root.query_selector(".sync-banner").unwrap().is_none()).await, "sent once the API answers");
    assert!(calls_to("/cart").into_iter().any(|i| call_field(i, &["method"]) == "POST"), "the waiting change was sent: {:?}", super::sent());
}

#[wasm_bindgen_test]
async fn rapid_taps_become_one_request() {
    let body = cart_json(1, TWO_STORES);
    stub_fetch(&format!("return new Response('{body}', {{status: 200}});"));
    let root = mount_cart("web-cart-5");
    assert!(until(|| root.query_selector_all(".store").unwrap().length() == 2).await);
    let reads = calls().length();
    // The backpack: 1 in the cart, limit 3.
    // Two quick taps (a thumb's double tap is ~60 ms apart), inside the coalescing window.
    for _ in 0..2 {
        click(&root, ".store:nth-of-type(2) .stepper-button:last-child");
        gloo_timers::future::TimeoutFuture::new(60).await;
    }
    assert!(until(|| text(&root).contains("3")).await);
    gloo_timers::future::TimeoutFuture::new(800).await;
    let patches: Vec<String> = (reads..calls().length()).filter(|i| call_field(*i, &["method"]) == "PATCH").map(|i| call_field(i, &["body"])).collect();
    assert_eq!(patches.len(), 1, "two taps, one request: {patches:?}");
    assert!(patches[0].contains("\"quantity\":3"));
}

#[wasm_bindgen_test]
async fn swiping_a_line_left_offers_delete() {
    let body = cart_json(1, TWO_STORES);
    stub_fetch(&format!("return new Response('{body}', {{status: 200}});"));
    let root = mount_cart("web-cart-6");
    assert!(until(|| root.query_selector_all(".store").unwrap().length() == 2).await);
    let row: web_sys::HtmlElement = root.query_selector(".store:nth-of-type(2) .cart-line").unwrap().unwrap().dyn_into().unwrap();
    let swipe = js_sys::Function::new_with_args(
        "el",
        "const t = (x) => new Touch({identifier: 1, target: el, clientX: x, clientY: 10}); \
         el.dispatchEvent(new TouchEvent('touchstart', {touches: [t(300)], bubbles: true})); \
         el.dispatchEvent(new TouchEvent('touchmove', {touches: [t(200)], bubbles: true})); \
         el.dispatchEvent(new TouchEvent('touchend', {touches: [], changedTouches: [t(200)], bubbles: true}));",
    );
    let slid = |row: &web_sys::HtmlElement| row.style().get_property_value("transform").unwrap_or_default();
    // The handlers are installed once the lines have shown (their own module in the release build).
    assert!(until(|| {
        swipe.call1(&wasm_bindgen::JsValue::NULL, &row).unwrap();
        slid(&row).contains("-80px")
    }).await, "slid open");
    // One line open at a time: sliding another closes the first.
    let other: web_sys::HtmlElement = root.query_selector(".store:nth-of-type(1) .cart-line").unwrap().unwrap().dyn_into().unwrap();
    swipe.call1(&wasm_bindgen::JsValue::NULL, &other).unwrap();
    assert!(slid(&other).contains("-80px") && slid(&row).contains("translateX(0px)"), "{} / {}", slid(&other), slid(&row));
    // A short slide springs back.
    let nudge = js_sys::Function::new_with_args(
        "el",
        "const t = (x) => new Touch({identifier: 1, target: el, clientX: x, clientY: 10}); \
         el.dispatchEvent(new TouchEvent('touchstart', {touches: [t(300)], bubbles: true})); \
         el.dispatchEvent(new TouchEvent('touchmove', {touches: [t(280)], bubbles: true})); \
         el.dispatchEvent(new TouchEvent('touchend', {touches: [], changedTouches: [t(280)], bubbles: true}));",
    );
    nudge.call1(&wasm_bindgen::JsValue::NULL, &row).unwrap();
    assert!(slid(&row).contains("translateX(0px)") && slid(&other).contains("translateX(0px)"), "a nudge opens nothing, and closes the open line");
    swipe.call1(&wasm_bindgen::JsValue::NULL, &row).unwrap();
    assert!(slid(&row).contains("-80px"));
    // Each slid line has one delete button behind it, put there when it first slid.
    assert_eq!(root.query_selector_all(".store:nth-of-type(2) .line-delete").unwrap().length(), 1);
    assert_eq!(text(&root.query_selector(".store:nth-of-type(2) .line-delete").unwrap().unwrap().dyn_into().unwrap()), "删除");
    click(&root, ".store:nth-of-type(2) .line-delete");
    assert!(until(|| root.query_selector(".undo-bar").unwrap().is_some()).await);
    assert!(until(|| root.query_selector_all(".store").unwrap().length() == 1).await);
    // Leave nothing pending for the tests after this one (the router keeps pages alive here).
    click(&root, ".undo");
    assert!(until(|| root.query_selector_all(".store").unwrap().length() == 2).await);
}

#[wasm_bindgen_test]
async fn a_long_cart_shows_its_first_lines_at_once_and_the_rest_a_pass_at_a_time() {
    // 40 stores of 3 lines, all selected: ¥1.00 × 120.
    stub_fetch(r#"
        const line = (s, i) => ({line_id: `l${s}-${i}`, sku_id: `k${s}-${i}`, store_id: `s${s}`, title: `商品${s}-${i}`, spec: '', image_url: '', unit_price_fen: 100, price_when_added_fen: 100, quantity: 1, stock: 9, limit_per_person: 9, selected: true, status: 'ok'});
        const stores = Array.from({length: 40}, (_, s) => ({store_id: `s${s}`, name: `门店${s}`, channel: 'mall', lines: [0, 1, 2].map((i) => line(s, i))}));
        return new Response(JSON.stringify({version: 1, updated_at: 1, stores}), {status: 200});
    "#);
    let root = mount_cart("web-cart-long");
    let lines = || root.query_selector_all(".store .cart-line").unwrap().length();
    assert!(until(|| lines() > 0).await);
    let first = lines();
    assert!(first < 120, "not everything in the first pass ({first})");
    assert!(text(&root).contains("¥120.00"), "the total counts every line from the start");
    assert!(until(|| lines() == 120).await, "then the rest ({})", lines());
    let names: Vec<String> = (0..40).map(|i| root.query_selector_all(".store-name").unwrap().get(i).and_then(|n| n.text_content()).unwrap_or_default()).collect();
    assert_eq!(names, (0..40).map(|s| format!("门店{s}")).collect::<Vec<_>>(), "in the cart's order");
}
