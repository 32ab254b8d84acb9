//! The moments feed on a stubbed API: a post of each attachment kind, a like rolled back when
//! refused, a comment's states, and the picture preview closed by back.

use super::{call_field, calls, container, provide_person, provide_services, stub_fetch, until};
use leptos::prelude::*;
use wxfollower::router::Router;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use wxfollower::moments::MomentsPage;
use wxfollower::session::Role;
use wxfollower::ui::ToastHost;

/// Four posts: nine pictures, a video, a safe link and a `javascript:` link. `extra` runs first.
fn stub(extra: &str) {
    stub_fetch(&format!(r#"
        const u = String(url), method = (init && init.method) || 'GET';
        const json = (b, s) => new Response(JSON.stringify(b), {{status: s || 200}});
        const author = {{staff_id: 's1', name: '许晴', title: '穿搭顾问', avatar_url: ''}};
        const post = (id, attachment, extra) => Object.assign({{post_id: id, author, text: '帖子' + id, attachment, created_at: Date.now() - 60000, like_count: 3, liked_by_me: false, comment_count: 0, first_comments: []}}, extra || {{}});
        const pics = (n) => ({{kind: 'images', images: Array.from({{length: n}}, (_, i) => ({{url: '/media/p' + i + '.png', width: 300, height: 200}}))}});
        {extra}
        if (u.includes('/moments?')) return json({{posts: [
          post('m9', pics(9)),
          post('mv', {{kind: 'video', video: {{url: '/media/v.mp4', poster_url: '/media/v.png', width: 640, height: 360, duration_s: 75}}}}),
          post('ml', {{kind: 'link', link: {{url: 'https://shop.example.com/a', title: '会员日全攻略'}}}}),
          post('mx', {{kind: 'link', link: {{url: 'javascript:alert(1)', title: '坏链接'}}}})], next_cursor: null}});
        if (u.includes('/moments/updates')) return json({{new_count: 0}});
        return json({{}});
    "#));
}

fn mount() -> web_sys::HtmlElement {
    let root = container();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_services();
        provide_person("u-me", "小满", Role::Follower);
        view! { <Router><MomentsPage/><ToastHost/></Router> }
    });
    handle.forget();
    // Earlier tests' pages stay mounted above; a virtualised feed renders what is on screen.
    root.scroll_into_view();
    root
}

fn el(root: &web_sys::HtmlElement, selector: &str) -> web_sys::HtmlElement {
    root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("no {selector}")).unchecked_into()
}

#[wasm_bindgen_test]
async fn each_attachment_kind_is_laid_out_and_bad_links_are_not_links() {
    stub("");
    let root = mount();
    assert!(until(|| root.query_selector_all(".moment").unwrap().length() == 4).await);
    // Cells, not <img>s: the stubbed pictures do not exist, and each one that has already
    // failed to load is shown as a broken-picture placeholder instead.
    assert_eq!(root.query_selector_all("[data-post=m9] .grid .grid-cell .img").unwrap().length(), 9, "nine pictures");
    let video = el(&root, "[data-post=mv] .moment-video-poster");
    assert!(video.text_content().unwrap_or_default().contains("1:15"), "the length shows");
    video.click();
    assert!(until(|| root.query_selector("[data-post=mv] video").unwrap().is_some()).await, "plays inline on tap");
    let link = el(&root, "[data-post=ml] a.moment-link");
    assert_eq!(link.get_attribute("href").as_deref(), Some("https://shop.example.com/a"));
    assert!(root.query_selector("[data-post=mx] a").unwrap().is_none(), "a javascript: link is never a link");
    assert!(el(&root, "[data-post=mx]").text_content().unwrap_or_default().contains("链接不可用"));
}

#[wasm_bindgen_test]
async fn a_refused_like_is_rolled_back_with_a_message() {
    stub("if (u.endsWith('/like')) return new Promise((r) => setTimeout(() => r(json({code: 'internal', message: 'x'}, 500)), 150));");
    let root = mount();
    assert!(until(|| root.query_selector("[data-post=m9] .moment-like").unwrap().is_some()).await);
    let like = el(&root, "[data-post=m9] .moment-like");
    like.click();
    assert!(until(|| like.get_attribute("aria-pressed").as_deref() == Some("true")).await, "liked at once");
    assert!(like.text_content().unwrap_or_default().contains('4'));
    assert!(until(|| like.get_attribute("aria-pressed").as_deref() == Some("false")).await, "rolled back");
    assert!(like.text_content().unwrap_or_default().contains('3'));
    assert!(until(|| root.text_content().unwrap_or_default().contains("没赞上")).await, "and says so");
}

#[wasm_bindgen_test]
async fn double_taps_on_like_send_one_request_per_change_of_mind() {
    stub("if (u.endsWith('/like')) return new Promise((r) => setTimeout(() => r(json({liked: method === 'PUT', like_count: method === 'PUT' ? 4 : 3})), 100));");
    let root = mount();
    assert!(until(|| root.query_selector("[data-post=m9] .moment-like").unwrap().is_some()).await);
    let like = el(&root, "[data-post=m9] .moment-like");
    like.click();
    like.click();
    like.click();
    // Liked, unliked, liked: the last wish wins, and the count never passes 4.
    assert!(until(|| like.get_attribute("aria-pressed").as_deref() == Some("true")).await);
    gloo_timers::future::TimeoutFuture::new(600).await;
    assert!(like.text_content().unwrap_or_default().contains('4'), "{}", like.text_content().unwrap_or_default());
    let sent = (0..calls().length()).filter(|i| call_field(*i, &["url"]).ends_with("/like")).count();
    assert!(sent <= 3, "at most one request per change ({sent})");
}

#[wasm_bindgen_test]
async fn a_comment_that_failed_is_retried_and_my_comment_can_be_deleted() {
    stub(r#"
        window.__posts = window.__posts || 0;
        if (u.includes('/comments') && method === 'POST') {
          window.__posts += 1;
          if (window.__posts === 1) throw new TypeError('Failed to fetch');
          const body = JSON.parse(init.body);
          return json({comment_id: 'c-new', post_id: 'm9', author: {user_id: 'u-me', name: '小满', avatar_url: '', is_staff: false}, text: body.text, reply_to: null, created_at: Date.now(), mine: true}, 201);
        }
        if (u.includes('/comments/c-new') && method === 'DELETE') return new Response(null, {status: 204});
        if (u.includes('/comments')) return json({comments: [], next_cursor: null});
    "#);
    js_sys::eval("window.__posts = 0").unwrap();
    let root = mount();
    assert!(until(|| root.query_selector("[data-post=m9] .moment-comment").unwrap().is_some()).await);
    el(&root, "[data-post=m9] .moment-comment").click();
    let doc = web_sys::window().unwrap().document().unwrap();
    assert!(until(|| doc.query_selector(".thread-composer textarea").unwrap().is_some()).await, "the thread opens");
    let area: web_sys::HtmlTextAreaElement = doc.query_selector(".thread-composer textarea").unwrap().unwrap().unchecked_into();
    area.set_value("<b>有 M 码吗</b>");
    area.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    assert!(until(|| doc.query_selector(".thread-send:not([disabled])").unwrap().is_some()).await);
    doc.query_selector(".thread-send").unwrap().unwrap().unchecked_into::<web_sys::HtmlElement>().click();
    assert!(until(|| doc.query_selector(".thread-comment[data-state=Failed] .thread-retry").unwrap().is_some()).await, "failed, with retry");
    doc.query_selector(".thread-retry").unwrap().unwrap().unchecked_into::<web_sys::HtmlElement>().click();
    assert!(until(|| doc.query_selector(".thread-comment[data-state=Sent] .thread-delete").unwrap().is_some()).await, "sent, and mine to delete");
    let sent = doc.query_selector(".thread-comment[data-state=Sent]").unwrap().unwrap();
    assert!(sent.query_selector("b").unwrap().is_none() && sent.text_content().unwrap_or_default().contains("<b>有 M 码吗</b>"), "text stays text");
    let keys: Vec<String> = (0..calls().length()).filter(|i| call_field(*i, &["method"]) == "POST").map(|i| call_field(i, &["headers", "idempotency-key"])).collect();
    assert!(keys.len() == 2 && keys[0] == keys[1], "retried with the same key: {keys:?}");
    assert!(until(|| root.query_selector("[data-post=m9] .moment-comments").unwrap().is_some()).await, "the post shows it under itself");
    doc.query_selector(".thread-delete").unwrap().unwrap().unchecked_into::<web_sys::HtmlElement>().click();
    assert!(until(|| doc.query_selector(".dialog .btn-warn, .dialog-confirm").unwrap().is_some()).await, "asks first");
    doc.query_selector(".dialog .btn-warn, .dialog-confirm").unwrap().unwrap().unchecked_into::<web_sys::HtmlElement>().click();
    assert!(until(|| doc.query_selector(".thread-comment").unwrap().is_none()).await, "deleted");
    web_sys::window().unwrap().history().unwrap().back().unwrap();
    assert!(until(|| wxfollower::ui::overlay::open_overlays() == 0).await, "the thread closes on back, leaving nothing open");
}

#[wasm_bindgen_test]
async fn a_picture_opens_full_screen_and_back_closes_it() {
    stub("");
    let root = mount();
    assert!(until(|| root.query_selector("[data-post=m9] .grid .grid-cell").unwrap().is_some()).await);
    let cell: web_sys::HtmlElement = root.query_selector_all("[data-post=m9] .grid-cell").unwrap().get(2).unwrap().unchecked_into();
    cell.click();
    let doc = web_sys::window().unwrap().document().unwrap();
    assert!(until(|| doc.query_selector(".preview").unwrap().is_some()).await, "opens");
    assert!(doc.query_selector(".preview").unwrap().unwrap().text_content().unwrap_or_default().contains("3 / 9"), "at the picture tapped");
    web_sys::window().unwrap().history().unwrap().back().unwrap();
    assert!(until(|| doc.query_selector(".preview").unwrap().is_none()).await, "back closes it");
    assert!(until(|| wxfollower::ui::overlay::open_overlays() == 0).await);
}

#[wasm_bindgen_test]
async fn post_times_are_told_again_once_the_server_clock_is_measured() {
    stub("");
    let root = container();
    let clock = RwSignal::new(None::<wxfollower::clock::ServerClock>);
    let handle = leptos::mount::mount_to(root.clone(), move || {
        let (_, server_clock) = provide_services();
        clock.set(Some(server_clock));
        provide_person("u-me", "小满", Role::Follower);
        view! { <Router><MomentsPage/></Router> }
    });
    handle.forget();
    root.scroll_into_view();
    let time = || root.query_selector("[data-post=m9] .moment-time").unwrap().and_then(|t| t.text_content()).unwrap_or_default();
    // Posted a minute ago by the phone's clock, which is all there is until the clock is measured.
    assert!(until(|| time() == "1分钟前").await, "{}", time());
    // The server is two hours ahead of the phone.
    clock.get_untracked().unwrap().estimate.set(Some(wxfollower::clock::Estimate { offset_ms: 7_200_000.0, rtt_ms: 40.0 }));
    assert!(until(|| time() == "2小时前").await, "the time follows the server's clock: {}", time());
}
