//! Form fields with labels, required marks and inline validation messages. Values are signals
//! the page owns (so drafts can be kept); the rules that produce the messages live in the
//! areas' domain modules.

use crate::i18n::use_i18n;
use leptos::prelude::*;
use crate::ui::When;

/// One option of a choice field.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

static NEXT_FIELD: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);

pub(crate) fn field_id() -> String {
    format!("f{}", NEXT_FIELD.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
}

/// The frame every field shares: label, required mark, the control, its error.
#[component]
pub fn Field(
    #[prop(into)] label: Signal<String>,
    #[prop(optional)] required: bool,
    #[prop(into, optional)] error: MaybeProp<String>,
    /// The id of the control, so the label points at it.
    id: String,
    /// Read-only fields show the value as text.
    #[prop(optional)]
    read_only: bool,
    /// A standing hint under the control (a range, a format).
    #[prop(into, optional)]
    hint: MaybeProp<String>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some() class:field-readonly=read_only>
            <label class="field-label" for=id>
                {move || label.get()}
                <When when=move || required>
                    <span class="field-required" aria-label=move || i18n.t().required>"*"</span>
                </When>
            </label>
            <div class="field-control">{children()}</div>
            {move || hint.get().map(|h| view! { <p class="field-hint" id=hint_id.clone()>{h}</p> })}
            {move || error.get().map(|e| view! { <p class="field-error" id=error_id.clone() role="alert">{e}</p> })}
        </div>
    }
}

fn described(error: &MaybeProp<String>, id: &str) -> Option<String> {
    error.get().map(|_| format!("{id}-error"))
}

/// "35–42 ℃": the range a number field accepts, stated rather than hidden in attributes.
pub fn range_hint(min: Option<f64>, max: Option<f64>, unit: Option<&str>) -> Option<String> {
    let unit = unit.map(|u| format!(" {u}")).unwrap_or_default();
    let text = crate::json::number_text;
    match (min, max) {
        (Some(a), Some(b)) => Some(format!("{}–{}{unit}", text(a), text(b))),
        (Some(a), None) => Some(format!("≥ {}{unit}", text(a))),
        (None, Some(b)) => Some(format!("≤ {}{unit}", text(b))),
        (None, None) => None,
    }
}

/// What a one-line field holds: it picks the phone's keyboard or picker.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum InputKind {
    #[default]
    Text,
    /// A number, kept as typed so "36." is never rewritten; the decimal keypad.
    Decimal,
    /// `YYYY-MM-DD`, with the phone's date picker.
    Date,
    /// `HH:MM`, with the phone's time picker.
    Time,
}

/// One line: text with a character limit, a number with its unit and range, a date or a time.
#[component]
pub fn TextField(
    #[prop(into)] label: Signal<String>,
    value: RwSignal<String>,
    #[prop(optional)] kind: InputKind,
    #[prop(optional)] required: bool,
    #[prop(optional)] max_length: Option<usize>,
    #[prop(into, optional)] placeholder: MaybeProp<String>,
    /// Shown after the control ("℃", "分钟").
    #[prop(into, optional)]
    unit: MaybeProp<String>,
    /// A standing hint under the control (see `range_hint`).
    #[prop(into, optional)]
    hint: MaybeProp<String>,
    #[prop(into, optional)] error: MaybeProp<String>,
) -> impl IntoView {
    let id = field_id();
    let control_id = id.clone();
    let describe = move || {
        let mut ids: Vec<String> = described(&error, &control_id).into_iter().collect();
        if hint.get().is_some() {
            ids.push(format!("{control_id}-hint"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    let (input_type, class, inputmode) = match kind {
        InputKind::Text => ("text", "input", None),
        InputKind::Decimal => ("text", "input input-number", Some("decimal")),
        InputKind::Date => ("date", "input", None),
        InputKind::Time => ("time", "input", None),
    };
    view! {
        <Field label required error id=id.clone() hint>
            <input
                id=id
                class=class
                type=input_type
                inputmode=inputmode
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                maxlength=max_length.map(|m| m.to_string())
                placeholder=move || placeholder.get()
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=describe
            />
            {move || unit.get().map(|u| view! { <span class="unit">{u}</span> })}
        </Field>
    }
}

/// Several lines of text with a live "12/200" counter.
#[component]
pub fn TextArea(
    #[prop(into)] label: Signal<String>,
    value: RwSignal<String>,
    #[prop(optional)] required: bool,
    max_length: usize,
    #[prop(into, optional)] placeholder: MaybeProp<String>,
    #[prop(into, optional)] error: MaybeProp<String>,
) -> impl IntoView {
    let id = field_id();
    let control_id = id.clone();
    let count = move || value.with(|v| v.chars().count());
    view! {
        <Field label required error id>
            <textarea
                id=control_id.clone()
                class="textarea"
                rows="3"
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
                placeholder=move || placeholder.get()
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=move || described(&error, &control_id)
            ></textarea>
            <span class="counter" class:counter-over={move || count() > max_length} aria-live="polite">
                {move || format!("{}/{}", count(), max_length)}
            </span>
        </Field>
    }
}

/// One of several options (radio group).
#[component]
pub fn ChoiceField(
    #[prop(into)] label: Signal<String>,
    #[prop(into)] options: Signal<Vec<Choice>>,
    value: RwSignal<Option<String>>,
    #[prop(optional)] required: bool,
    #[prop(into, optional)] error: MaybeProp<String>,
) -> impl IntoView {
    let id = field_id();
    let name = Some(id.clone());
    view! {
        <Field label required error id=id.clone()>
            <div class="choices" role="radiogroup" id=id aria-label=move || label.get()>
                {choice_options(options, "radio", name, move |v| value.with(|x| x.as_deref() == Some(v)), move |v, _| value.set(Some(v)))}
            </div>
        </Field>
    }
}

/// Any number of options (checkboxes).
#[component]
pub fn MultiChoiceField(
    #[prop(into)] label: Signal<String>,
    #[prop(into)] options: Signal<Vec<Choice>>,
    value: RwSignal<Vec<String>>,
    #[prop(optional)] required: bool,
    #[prop(into, optional)] error: MaybeProp<String>,
) -> impl IntoView {
    let id = field_id();
    let toggle = move |v: String, on: bool| {
        value.update(|list| {
            list.retain(|x| x != &v);
            if on {
                list.push(v);
            }
        })
    };
    view! {
        <Field label required error id=id.clone()>
            <div class="choices" role="group" id=id aria-label=move || label.get()>
                {choice_options(options, "checkbox", None, move |v| value.with(|list| list.iter().any(|x| x == v)), toggle)}
            </div>
        </Field>
    }
}

/// The options of both choice fields: `is_on(value)` says whether one is chosen, `toggle(value,
/// checked)` is called when it is tapped.
fn choice_options<On, Toggle>(options: Signal<Vec<Choice>>, input_type: &'static str, name: Option<String>, is_on: On, toggle: Toggle) -> impl IntoView
where
    On: Fn(&str) -> bool + Copy + Send + Sync + 'static,
    Toggle: Fn(String, bool) + Copy + Send + Sync + 'static,
{
    move || {
        options
            .get()
            .into_iter()
            .map(|o| {
                let v = o.value.clone();
                let chosen = {
                    let v = v.clone();
                    move || is_on(&v)
                };
                view! {
                    <label class="choice" class:choice-on=chosen.clone()>
                        <input type=input_type name=name.clone() prop:checked=chosen.clone() on:change=move |ev| toggle(v.clone(), event_target_checked(&ev))/>
                        <span>{o.label}</span>
                    </label>
                }
            })
            .collect_view()
    }
}

/// A 1–`max` star rating.
#[component]
pub fn RatingField(
    #[prop(into)] label: Signal<String>,
    value: RwSignal<Option<u8>>,
    #[prop(default = 5)] max: u8,
    #[prop(optional)] required: bool,
    #[prop(into, optional)] error: MaybeProp<String>,
) -> impl IntoView {
    let id = field_id();
    let i18n = use_i18n();
    view! {
        <Field label required error id=id.clone()>
            <div class="rating" role="radiogroup" id=id aria-label=move || label.get()>
                {(1..=max).map(|n| view! {
                    <button
                        type="button"
                        role="radio"
                        class="star"
                        class:star-on=move || value.get().is_some_and(|v| v >= n)
                        aria-checked=move || if value.get() == Some(n) { "true" } else { "false" }
                        aria-label=move || (i18n.t().stars)(n)
                        on:click=move |_| value.set(Some(n))
                    >"★"</button>
                }).collect_view()}
            </div>
        </Field>
    }
}

/// On or off, as a labelled switch row.
#[component]
pub fn SwitchField(#[prop(into)] label: Signal<String>, value: RwSignal<bool>) -> impl IntoView {
    view! {
        <div class="field field-row">
            <span class="field-label">{move || label.get()}</span>
            <super::controls::Switch on=value on_toggle=move |v| value.set(v) label/>
        </div>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::range_hint;

    #[test]
    fn ranges_are_stated_with_their_unit() {
        assert_eq!(range_hint(Some(35.0), Some(42.0), Some("℃")).as_deref(), Some("35–42 ℃"));
        assert_eq!(range_hint(Some(0.0), None, None).as_deref(), Some("≥ 0"));
        assert_eq!(range_hint(None, None, Some("分钟")), None);
    }
}
