//! One field of my section, built from the schema as plain DOM: every kind but pictures and
//! voice, which need their pickers (`week.rs`).
//!
//! Why not a typed `view!` per kind, as the fixed forms elsewhere are (`ui::form`): a week's
//! fields are data, ten kinds over six sections, and each typed view with its own signals and
//! effects is code of its own; it was most of what a teacher's first visit to a week downloaded.
//! Here each shape is a few DOM calls. The value lives only in the section's `values` (an input
//! keeps what was typed, so "36." is never rewritten), and one effect per field shows its state:
//! the options chosen, the stars, the counter, the error. Text from the API is set as text.

use super::domain::{self, FieldDef, Kind, Values};
use crate::i18n::{use_i18n, I18n};
use crate::json::Json;
use leptos::prelude::*;
use std::collections::BTreeMap;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlInputElement};

/// How a field is edited: what its DOM is built from.
#[derive(Clone, Debug, PartialEq)]
pub enum Control {
    /// One line: `input_type` (text, date or time), the decimal keypad for numbers, a length
    /// limit (pickers ignore it and numbers are far shorter), a unit after it, a range under it.
    Line { input_type: &'static str, decimal: bool, max_length: usize, unit: Option<String>, hint: Option<String> },
    /// Several lines with a live "12/200" counter.
    Lines { max_length: usize },
    /// The options as radios (one) or checkboxes (any number).
    Choices { multi: bool },
    /// 1–`max` stars.
    Stars { max: u8 },
    /// On or off: an acknowledgement.
    Switch,
    /// A kind this app does not know (or pictures and voice, which have their own editors):
    /// shown as the API has it, never written.
    ReadOnly,
}

impl Control {
    /// The control for `field`; `minutes` is the unit a duration shows when the schema has none.
    pub fn of(field: &FieldDef, minutes: &str) -> Control {
        match field.kind() {
            Kind::Rating => Control::Stars { max: field.max.unwrap_or(5.0).clamp(1.0, 10.0) as u8 },
            Kind::SingleChoice => Control::Choices { multi: false },
            Kind::MultiChoice => Control::Choices { multi: true },
            Kind::LongText => Control::Lines { max_length: field.max_length.unwrap_or(500) },
            Kind::Acknowledgement => Control::Switch,
            kind @ (Kind::Number | Kind::Duration | Kind::Time | Kind::Date | Kind::ShortText) => {
                let decimal = matches!(kind, Kind::Number | Kind::Duration);
                let unit = field.unit.clone().or_else(|| (kind == Kind::Duration).then(|| minutes.to_owned()));
                let hint = if decimal { crate::ui::form::range_hint(field.min, field.max, unit.as_deref()) } else { None };
                let input_type = match kind {
                    Kind::Time => "time",
                    Kind::Date => "date",
                    _ => "text",
                };
                Control::Line { input_type, decimal, max_length: field.max_length.unwrap_or(50), unit, hint }
            }
            Kind::Photos | Kind::Voice | Kind::Unknown => Control::ReadOnly,
        }
    }
}

/// Whether `option` is chosen in a choice field's value (one value, or a list of them).
pub fn is_chosen(value: Option<&Json>, option: &str) -> bool {
    match value {
        Some(Json::Str(s)) => s == option,
        Some(Json::Array(list)) => list.iter().any(|v| v.as_str() == Some(option)),
        _ => false,
    }
}

/// The stars a rating's value lights: none unless it is a whole number (at most ten).
pub fn stars_of(value: Option<&Json>) -> u8 {
    value.and_then(Json::as_u64).map_or(0, |n| n.min(10) as u8)
}

/// A choice field's value from the options checked, in the schema's order.
pub fn choices_value(multi: bool, checked: Vec<String>) -> Json {
    if multi {
        Json::from(checked)
    } else {
        checked.into_iter().next().map_or(Json::Null, Json::from)
    }
}

/// One field of my section: built once from the schema, written into `values` as it is edited.
#[component]
pub fn FieldControl(
    field: FieldDef,
    values: RwSignal<Values>,
    errors: RwSignal<BTreeMap<String, String>>,
    /// Saves this field's current value for the rest of the class (teachers).
    apply: Option<Callback<Json>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let at = NodeRef::<leptos::html::Div>::new();
    let control = Control::of(&field, i18n.t().minutes_unit);
    let (id, kind) = (field.field_id.clone(), field.kind());
    let value = {
        let id = id.clone();
        Memo::new(move |_| values.with(|v| v.get(&id).cloned()))
    };
    let error = {
        let id = id.clone();
        Memo::new(move |_| errors.with(|e| e.get(&id).cloned()))
    };
    let (data_field, data_kind) = (id.clone(), field.kind.clone());
    let shown = StoredValue::new((field, control));
    let can_apply = apply.is_some() && !matches!(kind, Kind::Unknown);
    Effect::new(move |built: Option<bool>| {
        let Some(el) = at.get() else { return false };
        let (value, error) = (value.get(), error.get());
        shown.with_value(|(field, control)| {
            let done = built == Some(true) || build(&el, field, control, value.as_ref(), i18n, can_apply).is_ok();
            if done {
                show(&el, control, value.as_ref(), error.as_deref());
            }
            done
        })
    });
    // What was typed or chosen, read back from the DOM in the API's shape.
    let write = move |v: Json| {
        let id = id.clone();
        values.update(move |all| {
            all.insert(id, v);
        })
    };
    let edited = {
        let write = write.clone();
        move |ev: web_sys::Event| {
            let (Some(el), Some(target)) = (at.get_untracked(), ev.target().and_then(|t| t.dyn_into::<Element>().ok())) else { return };
            let read = shown.with_value(|(_, control)| match control {
                Control::Line { .. } | Control::Lines { .. } => Some(domain::value_from_text(kind, &event_target_value(&ev))),
                Control::Choices { multi } => Some(choices_value(*multi, checked(&el))),
                _ => None,
            });
            if let (Some(v), true) = (read, target.has_attribute("data-control")) {
                write(v);
            }
        }
    };
    let tapped = move |ev: web_sys::MouseEvent| {
        let Some(target) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
        let Ok(Some(button)) = target.closest("button") else { return };
        let current = value.get_untracked();
        if let Some(n) = button.get_attribute("data-star").and_then(|n| n.parse::<u8>().ok()) {
            write(Json::from(n));
        } else if button.has_attribute("data-switch") {
            write(Json::from(!matches!(current, Some(Json::Bool(true)))));
        } else if button.has_attribute("data-apply") {
            if let (Some(apply), Some(v)) = (apply, current) {
                apply.run(v);
            }
        }
    };
    view! { <div class="hb-field" data-field=data_field data-kind=data_kind node_ref=at on:input=edited.clone() on:change=edited on:click=tapped></div> }
}

/// The values of the options checked in a choice field, in the schema's order.
fn checked(el: &Element) -> Vec<String> {
    let Ok(list) = el.query_selector_all("input[data-control]:checked") else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<HtmlInputElement>().ok()).map(|input| input.value()).collect()
}

/// A child element of `parent` with `class`, and its attributes.
fn add(parent: &Element, tag: &str, class: &str, attributes: &[(&str, &str)]) -> Result<Element, JsValue> {
    let document = parent.owner_document().ok_or_else(|| JsValue::from_str("no document"))?;
    let child = document.create_element(tag)?;
    if !class.is_empty() {
        child.set_class_name(class);
    }
    for (name, value) in attributes {
        child.set_attribute(name, value)?;
    }
    parent.append_child(&child)?;
    Ok(child)
}

/// `add` with text (always as text, never markup).
fn add_text(parent: &Element, tag: &str, class: &str, attributes: &[(&str, &str)], text: &str) -> Result<Element, JsValue> {
    let child = add(parent, tag, class, attributes)?;
    child.set_text_content(Some(text));
    Ok(child)
}

/// The field's DOM: the frame every field shares (label, required mark, control, hint; its error
/// comes and goes with `show`), then the teacher's "apply to the whole class".
fn build(el: &Element, field: &FieldDef, control: &Control, value: Option<&Json>, i18n: I18n, can_apply: bool) -> Result<(), JsValue> {
    let t = i18n.t();
    let id = crate::ui::form::field_id();
    let label = field.label.as_str();
    if *control == Control::Switch {
        let row = add(el, "div", "field field-row", &[])?;
        add_text(&row, "span", "field-label", &[], label)?;
        let switch = add(&row, "button", "switch", &[("type", "button"), ("role", "switch"), ("aria-label", label), ("data-switch", "")])?;
        add(&switch, "span", "switch-knob", &[("aria-hidden", "true")])?;
        el.set_attribute("data-error-host", "")?;
    } else {
        let readonly = *control == Control::ReadOnly;
        let frame = add(el, "div", if readonly { "field field-readonly hb-unknown" } else { "field" }, &[("data-error-host", "")])?;
        let caption = if readonly { add_text(&frame, "p", "field-label", &[], label)? } else { add_text(&frame, "label", "field-label", &[("for", &id)], label)? };
        if field.required && !readonly {
            add_text(&caption, "span", "field-required", &[("aria-label", t.required)], "*")?;
        }
        let holder = add(&frame, "div", "field-control", &[])?;
        let control_attrs = [("id", id.as_str()), ("data-control", "")];
        match control {
            Control::Line { input_type, decimal, max_length, unit, hint } => {
                let input = add(&holder, "input", if *decimal { "input input-number" } else { "input" }, &control_attrs)?;
                input.set_attribute("type", input_type)?;
                input.set_attribute("maxlength", &max_length.to_string())?;
                if *decimal {
                    input.set_attribute("inputmode", "decimal")?;
                }
                set_value(&input, &value.map(domain::text_of).unwrap_or_default());
                if let Some(unit) = unit {
                    add_text(&holder, "span", "unit", &[], unit)?;
                }
                if let Some(hint) = hint {
                    let hint_id = format!("{id}-hint");
                    add_text(&frame, "p", "field-hint", &[("id", &hint_id)], hint)?;
                    input.set_attribute("data-hint", &hint_id)?;
                }
            }
            Control::Lines { max_length } => {
                let area = add(&holder, "textarea", "textarea", &control_attrs)?;
                area.set_attribute("rows", "3")?;
                set_value(&area, &value.map(domain::text_of).unwrap_or_default());
                add(&holder, "span", "counter", &[("aria-live", "polite"), ("data-max", &max_length.to_string())])?;
            }
            Control::Choices { multi } => {
                let group = add(&holder, "div", "choices", &[("id", &id), ("role", if *multi { "group" } else { "radiogroup" }), ("aria-label", label)])?;
                for option in &field.options {
                    let choice = add(&group, "label", "choice", &[])?;
                    let input = add(&choice, "input", "", &[("type", if *multi { "checkbox" } else { "radio" }), ("value", &option.value), ("data-control", "")])?;
                    if !multi {
                        input.set_attribute("name", &id)?;
                    }
                    add_text(&choice, "span", "", &[], &option.label)?;
                }
            }
            Control::Stars { max } => {
                let stars = add(&holder, "div", "rating", &[("id", &id), ("role", "radiogroup"), ("aria-label", label)])?;
                for n in 1..=*max {
                    let star = add_text(&stars, "button", "star", &[("type", "button"), ("role", "radio"), ("data-star", &n.to_string())], "★")?;
                    star.set_attribute("aria-label", &(t.stars)(n))?;
                }
            }
            Control::ReadOnly => {
                holder.set_text_content(Some(&domain::display_value(field, value)));
                add_text(&frame, "p", "field-hint", &[], t.hb_read_only_kind)?;
            }
            Control::Switch => {}
        }
    }
    if can_apply && *control != Control::ReadOnly {
        add_text(el, "button", "btn-link hb-apply-class", &[("type", "button"), ("data-apply", "")], t.hb_apply_class)?;
    }
    Ok(())
}

/// An input's or a text area's text.
fn set_value(control: &Element, text: &str) {
    // Both have `value`; the DOM's own setter keeps the caret and the typed text apart.
    let _ = js_sys::Reflect::set(control, &JsValue::from_str("value"), &JsValue::from_str(text));
}

/// Shows the field's state for its value and error. Text a person is typing is never set here.
fn show(el: &Element, control: &Control, value: Option<&Json>, error: Option<&str>) {
    let find = |selector: &str| el.query_selector(selector).ok().flatten();
    let all = |selector: &str| -> Vec<Element> {
        el.query_selector_all(selector).map(|list| (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<Element>().ok()).collect()).unwrap_or_default()
    };
    let flag = |e: &Element, name: &str, on: bool| {
        let _ = e.set_attribute(name, if on { "true" } else { "false" });
    };
    match control {
        Control::Choices { .. } => {
            for input in all("input[data-control]") {
                let on = is_chosen(value, &input.get_attribute("value").unwrap_or_default());
                if let Some(choice) = input.parent_element() {
                    choice.set_class_name(if on { "choice choice-on" } else { "choice" });
                }
                if let Ok(input) = input.dyn_into::<HtmlInputElement>() {
                    input.set_checked(on);
                }
            }
        }
        Control::Stars { .. } => {
            let lit = stars_of(value);
            for star in all("[data-star]") {
                let n = star.get_attribute("data-star").and_then(|n| n.parse::<u8>().ok()).unwrap_or(0);
                star.set_class_name(if n <= lit { "star star-on" } else { "star" });
                flag(&star, "aria-checked", n == lit);
            }
        }
        Control::Switch => {
            if let Some(switch) = find("[data-switch]") {
                flag(&switch, "aria-checked", matches!(value, Some(Json::Bool(true))));
            }
        }
        Control::Lines { .. } => {
            if let Some(counter) = find(".counter") {
                let max = counter.get_attribute("data-max").and_then(|m| m.parse::<usize>().ok()).unwrap_or(0);
                let count = value.map(domain::text_of).unwrap_or_default().chars().count();
                counter.set_class_name(if count > max { "counter counter-over" } else { "counter" });
                counter.set_text_content(Some(&format!("{count}/{max}")));
            }
        }
        Control::Line { .. } | Control::ReadOnly => {}
    }
    if let Some(apply) = find("[data-apply]") {
        let _ = if domain::is_blank(value) { apply.set_attribute("disabled", "") } else { apply.remove_attribute("disabled") };
    }
    // The error under the field, named by its control.
    let Some(host) = find("[data-error-host]").or_else(|| el.has_attribute("data-error-host").then(|| el.clone())) else { return };
    let shown = find(".field-error");
    match (error, shown) {
        (Some(message), shown) => {
            let p = shown.or_else(|| add(&host, "p", "field-error", &[("role", "alert")]).ok());
            if let Some(p) = p {
                p.set_text_content(Some(message));
            }
        }
        (None, Some(p)) => p.remove(),
        (None, None) => {}
    }
    let invalid = error.is_some();
    if *control != Control::Switch && *control != Control::ReadOnly {
        host.set_class_name(if invalid { "field field-invalid" } else { "field" });
    }
    if let Some(control) = find("[id][data-control], [role=radiogroup][id], [role=group][id]") {
        let id = control.get_attribute("id").unwrap_or_default();
        flag(&control, "aria-invalid", invalid);
        if let Some(p) = find(".field-error") {
            let _ = p.set_attribute("id", &format!("{id}-error"));
        }
        let described: Vec<String> = [invalid.then(|| format!("{id}-error")), control.get_attribute("data-hint")].into_iter().flatten().collect();
        let _ = if described.is_empty() { control.remove_attribute("aria-describedby") } else { control.set_attribute("aria-describedby", &described.join(" ")) };
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::json::FromJson;

    fn field(kind: &str, extra: &str) -> FieldDef {
        let text = format!(r#"{{"field_id":"f","label":"L","kind":"{kind}","required":false{extra}}}"#);
        FieldDef::from_json(&crate::json::parse(&text).expect("json")).expect("a field")
    }

    #[test]
    fn each_kind_has_its_control() {
        assert_eq!(Control::of(&field("rating", ""), "分钟"), Control::Stars { max: 5 });
        assert_eq!(Control::of(&field("rating", r#","max":40"#), "分钟"), Control::Stars { max: 10 }, "at most ten stars");
        assert_eq!(Control::of(&field("multi_choice", ""), "分钟"), Control::Choices { multi: true });
        assert_eq!(Control::of(&field("single_choice", ""), "分钟"), Control::Choices { multi: false });
        assert_eq!(Control::of(&field("long_text", r#","max_length":200"#), "分钟"), Control::Lines { max_length: 200 });
        assert_eq!(
            Control::of(&field("duration", r#","min":0,"max":180"#), "分钟"),
            Control::Line { input_type: "text", decimal: true, max_length: 50, unit: Some("分钟".into()), hint: Some("0–180 分钟".into()) }
        );
        assert_eq!(
            Control::of(&field("number", r#","min":35,"max":42,"unit":"℃""#), "分钟"),
            Control::Line { input_type: "text", decimal: true, max_length: 50, unit: Some("℃".into()), hint: Some("35–42 ℃".into()) }
        );
        assert!(matches!(Control::of(&field("time", ""), "分钟"), Control::Line { input_type: "time", decimal: false, hint: None, .. }));
        assert!(matches!(Control::of(&field("date", ""), "分钟"), Control::Line { input_type: "date", decimal: false, .. }));
        assert!(matches!(Control::of(&field("short_text", r#","max_length":20"#), "分钟"), Control::Line { input_type: "text", max_length: 20, .. }));
        assert_eq!(Control::of(&field("acknowledgement", ""), "分钟"), Control::Switch);
        assert_eq!(Control::of(&field("growth_chart", ""), "分钟"), Control::ReadOnly);
    }

    #[test]
    fn choices_and_stars_read_the_apis_shapes() {
        let one = Json::from("a");
        let many = Json::from(vec!["a".to_owned(), "c".to_owned()]);
        assert!(is_chosen(Some(&one), "a") && !is_chosen(Some(&one), "b"));
        assert!(is_chosen(Some(&many), "c") && !is_chosen(Some(&many), "b"));
        assert!(!is_chosen(None, "a") && !is_chosen(Some(&Json::from(3u8)), "3"));
        assert_eq!(stars_of(Some(&Json::from(4u8))), 4);
        assert_eq!(stars_of(Some(&Json::from(99u8))), 10);
        assert_eq!(stars_of(Some(&Json::from("4"))), 0, "text is not a rating");
        assert_eq!(stars_of(None), 0);
        assert_eq!(choices_value(false, vec!["b".into()]), Json::from("b"));
        assert_eq!(choices_value(false, vec![]), Json::Null);
        assert_eq!(choices_value(true, vec!["a".into(), "c".into()]), many);
        assert_eq!(choices_value(true, vec![]), Json::from(Vec::<String>::new()));
    }
}
