//! The service account's custom menu.

use crate::api::ApiClient;
use crate::i18n::use_i18n;
use crate::ui::{fetched, Cell, Cells, Empty};
use leptos::prelude::*;
use serde_json::Value;

/// The top-level button names of either WeChat menu shape (`menu/get` or
/// `get_current_selfmenu_info`), as text; anything else yields none.
pub fn top_button_names(doc: &Value) -> Vec<String> {
    let buttons = doc
        .pointer("/menu/button")
        .or_else(|| doc.pointer("/selfmenu_info/button"))
        .and_then(Value::as_array);
    buttons
        .into_iter()
        .flatten()
        .filter_map(|b| b.get("name").and_then(Value::as_str))
        .map(|n| n.chars().take(60).collect())
        .collect()
}

#[component]
pub fn MenuPage() -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let i18n = use_i18n();
    let menu = api.resource::<Value>("/menu");
    view! {
        <h1 class="page-title">{move || i18n.t().menu_title}</h1>
        {fetched(menu, move |doc: Value| {
            let names = top_button_names(&doc);
            if names.is_empty() {
                return view! { <Empty/> }.into_any();
            }
            view! {
                <Cells>
                    {names.into_iter().map(|n| view! { <Cell title=n/> }).collect_view()}
                </Cells>
            }
            .into_any()
        })}
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn both_shapes_give_their_top_buttons() {
        let get = json!({"menu": {"button": [{"name": "今日特卖", "sub_button": []}, {"name": "服务"}]}});
        let selfmenu = json!({"is_menu_open": 1, "selfmenu_info": {"button": [{"name": "官网"}]}});
        assert_eq!(top_button_names(&get), vec!["今日特卖", "服务"]);
        assert_eq!(top_button_names(&selfmenu), vec!["官网"]);
        assert!(top_button_names(&json!({"data": [1, 2]})).is_empty());
    }
}
