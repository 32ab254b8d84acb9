//! A child's week on a stubbed API: every field kind, both roles' views, the conflict screen,
//! a message that failed and is retried with the same key.

use super::{call_field, calls, container, provide_person, provide_services, stub_fetch, until};
use leptos::prelude::*;
use wxfollower::router::Router;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use wxfollower::handbook::week::WeekView;
use wxfollower::session::Role;
use wxfollower::ui::ToastHost;

/// A week whose teacher section has every kind (and one this app does not know), and whose
/// parent section holds text that looks like markup. `extra` is JavaScript run first (to
/// answer writes).
fn stub(status: &str, extra: &str) {
    stub_fetch(&format!(r#"
        const u = String(url), method = (init && init.method) || 'GET';
        const json = (b, s) => new Response(JSON.stringify(b), {{status: s || 200}});
        const f = (id, kind, more) => Object.assign({{field_id: id, label: '项' + id, kind, required: false}}, more || {{}});
        const opts = [{{value: 'a', label: '甲'}}, {{value: 'b', label: '乙'}}];
        const schema = {{sections: [
          {{section_id: 'day', title: '一日', filled_by: 'teacher', fields: [
            f('rating', 'rating', {{min: 1, max: 5, required: true}}), f('single', 'single_choice', {{options: opts}}), f('multi', 'multi_choice', {{options: opts}}),
            f('temp', 'number', {{min: 35, max: 42, unit: '℃'}}), f('nap', 'duration', {{min: 0, max: 240}}), f('time', 'time'), f('date', 'date'),
            f('short', 'short_text', {{max_length: 10}}), f('long', 'long_text', {{max_length: 200}}), f('photos', 'photos', {{max_count: 9}}),
            f('voice', 'voice'), f('ack', 'acknowledgement'), f('holo', 'hologram')]}},
          {{section_id: 'home', title: '在家', filled_by: 'parent', fields: [f('notes', 'long_text', {{max_length: 200}})]}}]}};
        window.__week = window.__week || {{child: {{child_id: 'c1', name: '乐乐', avatar_url: '', class_name: '大一班', week_status: '{status}'}},
          week: '2026-W48', starts_on: '2026-11-23', status: '{status}', version: 3, schema,
          values: {{day: {{rating: 4, holo: {{beam: 1}}}}, home: {{notes: '<img src=x onerror=alert(1)>'}}}}, comments: []}};
        {extra}
        if (u.includes('/handbook/children/c1/weeks/')) return json(window.__week);
        if (u.endsWith('/handbook/children')) return json({{week: '2026-W48', role: 'teacher', children: [window.__week.child]}});
        return json({{}});
    "#));
}

fn mount(role: Role) -> web_sys::HtmlElement {
    web_sys::window().unwrap().local_storage().unwrap().unwrap().clear().unwrap();
    mount_below(role, 0)
}

/// The week opened at the top of the screen, below `above` pixels of something else; drafts kept.
fn mount_below(role: Role, above: u32) -> web_sys::HtmlElement {
    let root = container();
    let spacer: web_sys::HtmlElement = web_sys::window().unwrap().document().unwrap().create_element("div").unwrap().unchecked_into();
    spacer.style().set_property("height", &format!("{above}px")).unwrap();
    root.append_child(&spacer).unwrap();
    // Earlier tests' pages are still above this one: a page opens at its top.
    root.scroll_into_view();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_services();
        provide_person(&format!("{role:?}"), "我", role);
        view! { <Router><WeekView child_id="c1".to_owned() week="2026-W48".to_owned()/><ToastHost/></Router> }
    });
    handle.forget();
    root
}

/// Scrolls down to where my forms go, as a parent does after reading the teacher's sections.
async fn scroll_to_forms(root: &web_sys::HtmlElement) {
    assert!(until(|| root.query_selector(".hb-forms").unwrap().is_some()).await, "the week has shown");
    root.query_selector(".hb-forms").unwrap().unwrap().scroll_into_view();
}

/// Types `text` into a field as a person does: its value, then an input event that bubbles.
fn type_in(control: &web_sys::Element, text: &str) {
    js_sys::Reflect::set(control, &"value".into(), &text.into()).unwrap();
    control.dispatch_event(&web_sys::InputEvent::new_with_event_init_dict("input", &{
        let init = web_sys::InputEventInit::new();
        init.set_bubbles(true);
        init
    }).unwrap()).unwrap();
}

fn click(root: &web_sys::Element, selector: &str) {
    root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("{selector}")).unchecked_into::<web_sys::HtmlElement>().click();
}

fn html(el: &web_sys::Element) -> String {
    el.inner_html()
}

#[wasm_bindgen_test]
async fn every_field_kind_renders_and_an_unknown_kind_is_read_only() {
    js_sys::eval("window.__week = null").unwrap();
    stub("not_started", "");
    let root = mount(Role::Teacher);
    assert!(until(|| root.query_selector(".hb-section-mine[data-section=day]").unwrap().is_some()).await);
    // Pictures and voice are built as they come near, with their own code.
    for slot in ["photos", "voice"] {
        root.query_selector(&format!("[data-slot={slot}]")).unwrap().expect("its place").scroll_into_view();
        assert!(until(|| root.query_selector(&format!("[data-slot={slot}] [data-field={slot}] button")).unwrap().is_some()).await, "{slot} built once near");
    }
    for (field, control) in [
        ("rating", "button"), ("single", "input[type=radio]"), ("multi", "input[type=checkbox]"), ("temp", "input[inputmode=decimal]"), ("nap", "input[inputmode=decimal]"),
        ("time", "input[type=time]"), ("date", "input[type=date]"), ("short", "input"), ("long", "textarea"),
        ("photos", "button"), ("voice", "button"), ("ack", "[role=switch]"),
    ] {
        let selector = format!("[data-section=day] [data-field={field}] {control}");
        assert!(root.query_selector(&selector).unwrap().is_some(), "{field} is editable ({selector})");
    }
    let holo = root.query_selector("[data-field=holo]").unwrap().expect("the unknown field is shown");
    assert!(holo.query_selector("input, textarea, button").unwrap().is_none(), "read-only");
    assert!(holo.text_content().unwrap_or_default().contains("beam"), "its value as text");
    // The parent's section is the other side's here: read-only, and its text is text.
    let home = root.query_selector(".hb-section-readonly[data-section=home]").unwrap().expect("read-only");
    assert!(home.query_selector("img").unwrap().is_none(), "markup from the API is not markup");
    assert!(home.text_content().unwrap_or_default().contains("<img src=x onerror=alert(1)>"));
}

#[wasm_bindgen_test]
async fn each_control_writes_its_value_and_shows_its_state_and_errors() {
    js_sys::eval("window.__week = null").unwrap();
    stub("not_started", "");
    let root = mount(Role::Teacher);
    assert!(until(|| root.query_selector("[data-section=day] [data-field=rating] .star").unwrap().is_some()).await);
    let stars_on = || root.query_selector_all("[data-field=rating] .star-on").unwrap().length();
    assert_eq!(stars_on(), 4, "the saved rating");
    click(&root, "[data-field=rating] [data-star='2']");
    assert!(until(|| stars_on() == 2).await, "two stars after tapping the second");
    assert_eq!(root.query_selector("[data-field=rating] [aria-checked=true]").unwrap().and_then(|s| s.get_attribute("data-star")).as_deref(), Some("2"));
    click(&root, "[data-field=single] input[value=b]");
    click(&root, "[data-field=multi] input[value=a]");
    click(&root, "[data-field=multi] input[value=b]");
    click(&root, "[data-field=multi] input[value=a]");
    let on = |field: &str| root.query_selector_all(&format!("[data-field={field}] .choice-on")).unwrap().length();
    assert!(until(|| on("single") == 1 && on("multi") == 1).await, "one chosen of each");
    assert!(root.query_selector("[data-field=multi] .choice-on input[value=b]").unwrap().is_some(), "b is left after a was taken back");
    let temp = root.query_selector("[data-field=temp] input").unwrap().unwrap();
    type_in(&temp, "36.");
    type_in(&root.query_selector("[data-field=long] textarea").unwrap().unwrap(), "睡得好");
    assert!(until(|| root.query_selector("[data-field=long] .counter").unwrap().and_then(|c| c.text_content()).as_deref() == Some("3/200")).await, "the counter");
    assert_eq!(temp.unchecked_ref::<web_sys::HtmlInputElement>().value(), "36.", "a number is kept as typed");
    // Kept as a draft in the API's shapes.
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    let draft = || (0..storage.length().unwrap()).filter_map(|i| storage.key(i).ok().flatten()).find(|k| k.contains(".day")).and_then(|k| storage.get_item(&k).ok().flatten()).unwrap_or_default();
    assert!(until(|| draft().contains(r#""temp":36"#)).await, "the draft: {}", draft());
    for part in [r#""rating":2"#, r#""single":"b""#, r#""multi":["b"]"#, r#""long":"睡得好""#] {
        assert!(draft().contains(part), "{part} in {}", draft());
    }
    // The teacher's "apply to the whole class" waits for a value.
    assert!(root.query_selector("[data-field=single] .hb-apply-class:not([disabled])").unwrap().is_some());
    assert!(root.query_selector("[data-field=short] .hb-apply-class[disabled]").unwrap().is_some());
    // Out of range: checked before a save, the error on the field and named by its input.
    type_in(&temp, "50");
    click(&root, "[data-section=day] > .actions button");
    assert!(until(|| root.query_selector("[data-field=temp] .field-invalid .field-error").unwrap().is_some()).await, "the error under the field");
    assert_eq!(temp.get_attribute("aria-invalid").as_deref(), Some("true"));
    let error_id = root.query_selector("[data-field=temp] .field-error").unwrap().unwrap().id();
    assert!(temp.get_attribute("aria-describedby").unwrap_or_default().split(' ').any(|id| id == error_id), "named by the input");
    type_in(&temp, "37");
    click(&root, "[data-section=day] > .actions button");
    assert!(until(|| root.query_selector("[data-field=temp] .field-error").unwrap().is_none()).await, "gone once it is right");
    assert_eq!(temp.get_attribute("aria-invalid").as_deref(), Some("false"));
}

#[wasm_bindgen_test]
async fn a_parent_sees_nothing_to_fill_before_the_week_is_sent_and_a_form_after() {
    js_sys::eval("window.__week = null").unwrap();
    stub("teacher_done", "");
    let root = mount(Role::Parent);
    assert!(until(|| root.query_selector(".not-sent").unwrap().is_some()).await, "says the teacher has not sent it");
    assert!(root.query_selector(".hb-section-mine").unwrap().is_none(), "nothing editable yet");
    js_sys::eval("window.__week = null").unwrap();
    stub("sent", "if (u.endsWith('/read')) { window.__week.status = 'read'; return json(window.__week); }");
    let root = mount(Role::Parent);
    scroll_to_forms(&root).await;
    assert!(until(|| root.query_selector(".hb-section-mine[data-section=home]").unwrap().is_some()).await, "the home section is a form");
    assert!(root.query_selector(".hb-section-readonly[data-section=day]").unwrap().is_some(), "the teacher's is read-only");
    // The teacher's section shows with the page and the form comes after it: the schema's order holds.
    let order = root.query_selector_all("[data-section]").unwrap();
    let order: Vec<String> = (0..order.length()).filter_map(|i| order.item(i)?.unchecked_into::<web_sys::Element>().get_attribute("data-section")).collect();
    assert_eq!(order, ["day", "home"], "sections in the schema's order");
    assert!(until(|| root.query_selector(".hb-comments").unwrap().is_some()).await, "the week's messages follow");
    assert!(until(|| root.query_selector(".week-status[data-status=Read]").unwrap().is_some()).await, "opening it sends the receipt");
    let reads = (0..calls().length()).filter(|i| call_field(*i, &["url"]).ends_with("/read")).count();
    assert_eq!(reads, 1, "once");
}

#[wasm_bindgen_test]
async fn a_parents_form_is_built_when_it_comes_near_the_screen_or_at_once_when_a_draft_is_waiting() {
    js_sys::eval("window.__week = null").unwrap();
    stub("sent", "if (u.endsWith('/read')) return json(window.__week);");
    web_sys::window().unwrap().local_storage().unwrap().unwrap().clear().unwrap();
    // Three screens of something above the week: its forms are far below what shows.
    let root = mount_below(Role::Parent, 3 * web_sys::window().unwrap().inner_height().unwrap().as_f64().unwrap() as u32);
    assert!(until(|| root.query_selector(".hb-section-readonly[data-section=day]").unwrap().is_some()).await, "the teacher's section shows");
    gloo_timers::future::TimeoutFuture::new(300).await;
    assert!(root.query_selector(".hb-section-mine").unwrap().is_none(), "no form while it is far from the screen");
    assert!(root.query_selector(".hb-comments").unwrap().is_none(), "nor the messages after it");
    scroll_to_forms(&root).await;
    assert!(until(|| root.query_selector(".hb-section-mine[data-section=home] textarea").unwrap().is_some()).await, "scrolled near: the form");
    let area: web_sys::HtmlTextAreaElement = root.query_selector("[data-section=home] textarea").unwrap().unwrap().unchecked_into();
    type_in(&area, "周末去了植物园");
    assert!(until(|| root.query_selector("[data-section=home] .hb-draft").unwrap().is_some()).await, "an unsent draft");
    // Coming back to the week with that draft: the form is there at once, far from the screen or not.
    let again = mount_below(Role::Parent, 3 * web_sys::window().unwrap().inner_height().unwrap().as_f64().unwrap() as u32);
    assert!(until(|| again.query_selector(".hb-section-mine[data-section=home] .hb-draft").unwrap().is_some()).await, "the draft's form, without scrolling");
    let kept: web_sys::HtmlTextAreaElement = again.query_selector("[data-section=home] textarea").unwrap().unwrap().unchecked_into();
    assert_eq!(kept.value(), "周末去了植物园");
}

#[wasm_bindgen_test]
async fn the_weeks_messages_come_when_near_or_at_once_when_a_message_of_mine_is_unsent() {
    js_sys::eval("window.__week = null").unwrap();
    stub("sent", "if (u.endsWith('/read')) return json(window.__week);");
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.clear().unwrap();
    let screen = web_sys::window().unwrap().inner_height().unwrap().as_f64().unwrap() as u32;
    let root = mount_below(Role::Parent, 3 * screen);
    scroll_to_forms(&root).await;
    assert!(until(|| root.query_selector(".hb-section-mine[data-section=home]").unwrap().is_some()).await, "the form");
    assert!(until(|| root.query_selector(".hb-comments").unwrap().is_some()).await, "and below it, near too, the messages");
    let area: web_sys::HtmlTextAreaElement = root.query_selector(".hb-composer textarea").unwrap().unwrap().unchecked_into();
    area.set_value("明天请假一天");
    area.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    assert!(until(|| (0..storage.length().unwrap()).filter_map(|i| storage.key(i).ok().flatten()).any(|k| k.starts_with("wxf.draft.comment."))).await, "kept as a draft");
    // Back on the week, far from the screen: the unsent message is there without scrolling.
    let again = mount_below(Role::Parent, 3 * screen);
    assert!(until(|| again.query_selector(".hb-composer textarea").unwrap().is_some()).await, "the thread, at once");
    let kept: web_sys::HtmlTextAreaElement = again.query_selector(".hb-composer textarea").unwrap().unwrap().unchecked_into();
    assert_eq!(kept.value(), "明天请假一天");
}

#[wasm_bindgen_test]
async fn a_version_that_moved_shows_both_and_taking_theirs_sends_nothing_more() {
    js_sys::eval("window.__week = null").unwrap();
    stub("sent", r#"
        if (method === 'PUT') {
          const current = JSON.parse(JSON.stringify(window.__week));
          current.version = 4; current.values.home = {notes: '平板上写的'};
          return json({code: 'version_conflict', message: '这一栏已被修改', current}, 409);
        }
        if (u.endsWith('/read')) return json(window.__week);
    "#);
    let root = mount(Role::Parent);
    scroll_to_forms(&root).await;
    assert!(until(|| root.query_selector("[data-section=home] textarea").unwrap().is_some()).await);
    let area: web_sys::HtmlTextAreaElement = root.query_selector("[data-section=home] textarea").unwrap().unwrap().unchecked_into();
    type_in(&area, "手机上写的");
    assert!(until(|| root.query_selector("[data-section=home] .hb-draft").unwrap().is_some()).await, "marked as an unsent draft");
    root.query_selector("[data-section=home] > .actions button").unwrap().unwrap().unchecked_into::<web_sys::HtmlElement>().click();
    assert!(until(|| root.query_selector(".hb-conflict").unwrap().is_some()).await, "the conflict screen");
    let conflict = html(&root.query_selector(".hb-conflict").unwrap().unwrap());
    assert!(conflict.contains("手机上写的") && conflict.contains("平板上写的"), "both versions: {conflict}");
    root.query_selector(".hb-conflict .take-theirs").unwrap().unwrap().unchecked_into::<web_sys::HtmlElement>().click();
    assert!(until(|| root.query_selector(".hb-conflict").unwrap().is_none()).await);
    assert!(until(|| area_value(&root) == "平板上写的").await, "theirs is in the form: {}", area_value(&root));
    assert!(root.query_selector("[data-section=home] .hb-draft").unwrap().is_none(), "nothing left unsent");
    let puts = (0..calls().length()).filter(|i| call_field(*i, &["method"]) == "PUT").count();
    assert_eq!(puts, 1, "taking theirs needs no save");
}

fn area_value(root: &web_sys::HtmlElement) -> String {
    root.query_selector("[data-section=home] textarea").unwrap().map(|a| a.unchecked_into::<web_sys::HtmlTextAreaElement>().value()).unwrap_or_default()
}

#[wasm_bindgen_test]
async fn a_message_that_failed_says_so_and_is_retried_with_the_same_key() {
    js_sys::eval("window.__week = null; window.__posts = 0").unwrap();
    stub("sent", r#"
        if (u.endsWith('/comments')) {
          window.__posts += 1;
          if (window.__posts === 1) throw new TypeError('Failed to fetch');
          return json({comment_id: 'hc-1', author_name: '我', author_role: 'parent', text: JSON.parse(init.body).text, created_at: Date.now()}, 201);
        }
        if (u.endsWith('/read')) return json(window.__week);
    "#);
    let root = mount(Role::Parent);
    scroll_to_forms(&root).await;
    assert!(until(|| root.query_selector(".hb-composer textarea").unwrap().is_some()).await);
    let area: web_sys::HtmlTextAreaElement = root.query_selector(".hb-composer textarea").unwrap().unwrap().unchecked_into();
    area.set_value("老师好，乐乐这周有点咳嗽");
    area.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    assert!(until(|| root.query_selector(".hb-comment-send:not([disabled])").unwrap().is_some()).await, "can be sent once written");
    root.query_selector(".hb-comment-send").unwrap().unwrap().unchecked_into::<web_sys::HtmlElement>().click();
    assert!(until(|| root.query_selector(".hb-comment[data-state=Failed] .hb-retry").unwrap().is_some()).await, "failed, with retry: {}", html(&root.query_selector(".hb-comments").unwrap().unwrap()));
    root.query_selector(".hb-retry").unwrap().unwrap().unchecked_into::<web_sys::HtmlElement>().click();
    assert!(until(|| root.query_selector(".hb-comment[data-state=Sent]").unwrap().is_some()).await, "sent on retry");
    let keys: Vec<String> = (0..calls().length()).filter(|i| call_field(*i, &["url"]).ends_with("/comments")).map(|i| call_field(i, &["headers", "idempotency-key"])).collect();
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0], keys[1], "the same key: never two messages");
}
