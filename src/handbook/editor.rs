//! One field of my section, built from the schema as plain DOM: every kind but pictures and
//! voice, which need their pickers (`week.rs`).
//!
//! Why not a typed `view!` per kind, as the fixed forms elsewhere are (`ui::form`): a week's
//! fields are data, ten kinds over six sections, and each typed view with its own signals and
//! effects is code of its own; it was most of what a teacher's first visit to a week downloaded.
//! Here each shape is a few DOM calls. The value lives only in the section's `values` (an input
//! keeps what was typed, so "36." is never rewritten), and one effect per field shows its state:
//! the options chosen, the stars, the counter, the error. Text from the API is set as text.

use super::domain::{self, ChoiceOption, FieldDef, FieldErrors, Kind, Values};
use crate::i18n::{use_i18n, I18n};
use crate::json::Json;
use leptos::prelude::*;
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

/// A choice field's value after `tapped` was turned `on` or off: the options chosen, in the
/// schema's order (one of them, or none, for a single choice).
pub fn choose(options: &[ChoiceOption], current: Option<&Json>, tapped: &str, on: bool, multi: bool) -> Json {
    if !multi {
        return if on { Json::from(tapped) } else { Json::Null };
    }
    let chosen = options.iter().filter(|o| if o.value == tapped { on } else { is_chosen(current, &o.value) });
    Json::from(chosen.map(|o| o.value.clone()).collect::<Vec<_>>())
}

/// One field of my section: built once from the schema, written into `values` as it is edited.
#[component]
pub fn FieldControl(
    field: FieldDef,
    values: RwSignal<Values>,
    errors: RwSignal<FieldErrors>,
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
    // Its message, as JSON text: the same memo type as the value's.
    let error = {
        let id = id.clone();
        Memo::new(move |_| errors.with(|e| e.get(&id).cloned()))
    };
    let (data_field, data_kind) = (id.clone(), field.kind.clone());
    let shown = StoredValue::new((field, control));
    let can_apply = apply.is_some() && !matches!(kind, Kind::Unknown);
    // Built once the element is there; then its state follows the value and the error.
    Effect::new(move |built: Option<Option<Built>>| {
        let el = at.get()?;
        let (value, error) = (value.get(), error.get());
        shown.with_value(|(field, control)| {
            let mut built = match built.flatten() {
                Some(built) => built,
                None => build(&el, field, control, value.as_ref(), i18n, can_apply).ok()?,
            };
            show(&mut built, value.as_ref(), error.as_ref().and_then(Json::as_str));
            Some(built)
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
            let Some(target) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
            if !target.has_attribute("data-control") {
                return;
            }
            let read = shown.with_value(|(field, control)| match control {
                Control::Line { .. } | Control::Lines { .. } => Some(domain::value_from_text(kind, &event_target_value(&ev))),
                Control::Choices { multi } => {
                    let on = target.dyn_ref::<HtmlInputElement>().is_some_and(HtmlInputElement::checked);
                    let tapped = target.get_attribute("value").unwrap_or_default();
                    Some(choose(&field.options, value.get_untracked().as_ref(), &tapped, on, *multi))
                }
                _ => None,
            });
            if let Some(v) = read {
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

/// The parts of a field's DOM that show its state.
struct Built {
    /// Holds the error, and is marked invalid with it (not the switch's row).
    host: Element,
    marks_invalid: bool,
    /// The control the label and the error name (id), and its standing hint.
    named: Option<(Element, String)>,
    hint_id: Option<String>,
    error: Option<Element>,
    /// Each option's label and input.
    options: Vec<(Element, HtmlInputElement)>,
    /// Each star, from one.
    stars: Vec<Element>,
    switch: Option<Element>,
    /// The counter and the limit.
    counter: Option<(Element, usize)>,
    apply: Option<Element>,
}

/// The field's DOM: the frame every field shares (label, required mark, control, hint; its error
/// comes and goes with `show`), then the teacher's "apply to the whole class".
fn build(el: &Element, field: &FieldDef, control: &Control, value: Option<&Json>, i18n: I18n, can_apply: bool) -> Result<Built, JsValue> {
    let t = i18n.t();
    let id = crate::ui::form::field_id();
    let label = field.label.as_str();
    let mut built = Built { host: el.clone(), marks_invalid: false, named: None, hint_id: None, error: None, options: Vec::new(), stars: Vec::new(), switch: None, counter: None, apply: None };
    if *control == Control::Switch {
        let row = add(el, "div", "field field-row", &[])?;
        add_text(&row, "span", "field-label", &[], label)?;
        let switch = add(&row, "button", "switch", &[("type", "button"), ("role", "switch"), ("aria-label", label), ("data-switch", "")])?;
        add(&switch, "span", "switch-knob", &[("aria-hidden", "true")])?;
        built.switch = Some(switch);
    } else {
        let readonly = *control == Control::ReadOnly;
        let frame = add(el, "div", if readonly { "field field-readonly hb-unknown" } else { "field" }, &[])?;
        let caption = if readonly { add_text(&frame, "p", "field-label", &[], label)? } else { add_text(&frame, "label", "field-label", &[("for", &id)], label)? };
        if field.required && !readonly {
            add_text(&caption, "span", "field-required", &[("aria-label", t.required)], "*")?;
        }
        let holder = add(&frame, "div", "field-control", &[])?;
        let control_attrs = [("id", id.as_str()), ("data-control", "")];
        let named = match control {
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
                    built.hint_id = Some(hint_id);
                }
                Some(input)
            }
            Control::Lines { max_length } => {
                let area = add(&holder, "textarea", "textarea", &control_attrs)?;
                area.set_attribute("rows", "3")?;
                set_value(&area, &value.map(domain::text_of).unwrap_or_default());
                built.counter = Some((add(&holder, "span", "counter", &[("aria-live", "polite")])?, *max_length));
                Some(area)
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
                    built.options.push((choice, input.unchecked_into()));
                }
                Some(group)
            }
            Control::Stars { max } => {
                let stars = add(&holder, "div", "rating", &[("id", &id), ("role", "radiogroup"), ("aria-label", label)])?;
                for n in 1..=*max {
                    let star = add_text(&stars, "button", "star", &[("type", "button"), ("role", "radio"), ("data-star", &n.to_string())], "★")?;
                    star.set_attribute("aria-label", &(t.stars)(n))?;
                    built.stars.push(star);
                }
                Some(stars)
            }
            Control::ReadOnly => {
                holder.set_text_content(Some(&domain::display_value(field, value)));
                add_text(&frame, "p", "field-hint", &[], t.hb_read_only_kind)?;
                None
            }
            Control::Switch => None,
        };
        built.named = named.map(|e| (e, id));
        built.marks_invalid = !readonly;
        built.host = frame;
    }
    if can_apply && *control != Control::ReadOnly {
        built.apply = Some(add_text(el, "button", "btn-link hb-apply-class", &[("type", "button"), ("data-apply", "")], t.hb_apply_class)?);
    }
    Ok(built)
}

/// An input's or a text area's text.
fn set_value(control: &Element, text: &str) {
    // Both have `value` (set once, when built: after that it is what the person typed).
    let _ = js_sys::Reflect::set(control, &JsValue::from_str("value"), &JsValue::from_str(text));
}

/// Shows the field's state for its value and error. Text a person is typing is never set here.
fn show(built: &mut Built, value: Option<&Json>, error: Option<&str>) {
    let flag = |e: &Element, name: &str, on: bool| {
        let _ = e.set_attribute(name, if on { "true" } else { "false" });
    };
    for (choice, input) in &built.options {
        let on = is_chosen(value, &input.value());
        choice.set_class_name(if on { "choice choice-on" } else { "choice" });
        input.set_checked(on);
    }
    let lit = stars_of(value);
    for (n, star) in (1u8..).zip(&built.stars) {
        star.set_class_name(if n <= lit { "star star-on" } else { "star" });
        flag(star, "aria-checked", n == lit);
    }
    if let Some(switch) = &built.switch {
        flag(switch, "aria-checked", matches!(value, Some(Json::Bool(true))));
    }
    if let Some((counter, max)) = &built.counter {
        let count = value.map(domain::text_of).unwrap_or_default().chars().count();
        counter.set_class_name(if count > *max { "counter counter-over" } else { "counter" });
        counter.set_text_content(Some(&format!("{count}/{max}")));
    }
    if let Some(apply) = &built.apply {
        let _ = if domain::is_blank(value) { apply.set_attribute("disabled", "") } else { apply.remove_attribute("disabled") };
    }
    // The error under the field, named by its control.
    match (error, built.error.take()) {
        (Some(message), shown) => {
            let p = shown.or_else(|| add(&built.host, "p", "field-error", &[("role", "alert")]).ok());
            if let Some(p) = &p {
                p.set_text_content(Some(message));
            }
            built.error = p;
        }
        (None, Some(p)) => p.remove(),
        (None, None) => {}
    }
    let invalid = error.is_some();
    if built.marks_invalid {
        built.host.set_class_name(if invalid { "field field-invalid" } else { "field" });
    }
    if let Some((control, id)) = &built.named {
        let error_id = format!("{id}-error");
        if let Some(p) = &built.error {
            let _ = p.set_attribute("id", &error_id);
        }
        flag(control, "aria-invalid", invalid);
        let described: Vec<&str> = [invalid.then_some(error_id.as_str()), built.hint_id.as_deref()].into_iter().flatten().collect();
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
        let options: Vec<ChoiceOption> = ["a", "b", "c"].iter().map(|v| ChoiceOption { value: (*v).into(), label: v.to_uppercase() }).collect();
        assert_eq!(choose(&options, Some(&one), "b", true, false), Json::from("b"), "one replaces the other");
        assert_eq!(choose(&options, Some(&one), "a", false, false), Json::Null);
        assert_eq!(choose(&options, Some(&Json::from(vec!["c".to_owned()])), "a", true, true), many, "in the schema's order, not the tapping's");
        assert_eq!(choose(&options, Some(&many), "c", false, true), Json::from(vec!["a".to_owned()]));
        assert_eq!(choose(&options, None, "b", false, true), Json::from(Vec::<String>::new()));
    }
}
