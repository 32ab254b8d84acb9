//! The cart as this phone knows it: the last known cart shown at once, the follower's changes
//! applied at once and kept in an outbox until the server has them, conflicts with other
//! devices rebased, failures retried. One per signed-in person (from context).

use super::domain::{apply, enqueue, rebase, Change};
use super::Cart;
use crate::api::{ApiClient, ApiError};
use crate::i18n::I18n;
use crate::ui::{error_message, Toaster};
use leptos::prelude::*;
use crate::json::{self, Json, ToJson};

/// Whether the outbox is reaching the server.
#[derive(Clone, Debug, PartialEq)]
pub enum Sync {
    Idle,
    Sending,
    /// The last attempt failed; changes are kept and retried.
    Waiting(ApiError),
}

/// The shared cart state (a page that shows the cart takes it with `use_cart()`).
#[derive(Clone, Copy)]
pub struct CartStore {
    /// The server's cart as last confirmed (`None` until known).
    pub base: RwSignal<Option<Cart>>,
    /// Changes not yet confirmed, oldest first.
    pub outbox: RwSignal<Vec<Change>>,
    pub sync: RwSignal<Sync>,
    /// The first load failed and nothing was cached.
    pub load_error: RwSignal<Option<ApiError>>,
    /// Where a change the rules refused is explained, on whatever page the follower is.
    toaster: Toaster,
    i18n: I18n,
    /// Whose cart is open (read from storage and the server), and whose is wanted: whoever is
    /// signed in. Apart so that starting the app costs no cart code and no cart read; the cart is
    /// opened when a page that shows it is built (`use_cart`).
    owner: StoredValue<String>,
    wanted: RwSignal<Option<String>>,
    api: StoredValue<Option<ApiClient>>,
    /// Bumped on every scheduled flush, so only the latest schedule sends (coalescing taps).
    generation: StoredValue<u64>,
}

const COALESCE_MS: u64 = 300;
/// Waits before retrying a failed sync (then the last one, again and again).
const RETRY_MS: [u64; 4] = [2_000, 5_000, 10_000, 30_000];

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

impl CartStore {
    pub fn new(toaster: Toaster, i18n: I18n) -> CartStore {
        CartStore {
            base: RwSignal::new(None),
            outbox: RwSignal::new(Vec::new()),
            sync: RwSignal::new(Sync::Idle),
            load_error: RwSignal::new(None),
            toaster,
            i18n,
            owner: StoredValue::new(String::new()),
            wanted: RwSignal::new(None),
            api: StoredValue::new(None),
            generation: StoredValue::new(0),
        }
    }

    /// The cart as the follower sees it: the server's, with the unsent changes applied.
    pub fn shown(&self) -> Option<Cart> {
        let mut cart = self.base.get()?;
        for change in self.outbox.get().iter() {
            apply(&mut cart, change);
        }
        Some(cart)
    }

    fn keys(&self) -> (String, String) {
        let owner = self.owner.try_get_value().unwrap_or_default();
        (format!("wxf.cart.{owner}"), format!("wxf.cart_outbox.{owner}"))
    }

    /// Keeps the server's cart and the unsent changes across reloads.
    fn persist(&self) {
        self.persist_cart();
        self.persist_outbox();
    }

    fn persist_cart(&self) {
        let (cart_key, _) = self.keys();
        if let (Some(s), Some(cart)) = (storage(), self.base.try_get_untracked().flatten()) {
            let _ = s.set_item(&cart_key, &json::to_string(&cart));
        }
    }

    /// Only the outbox changes on a tap: the cart itself is written when the server's changes.
    fn persist_outbox(&self) {
        let (_, outbox_key) = self.keys();
        if let Some(s) = storage() {
            let outbox = self.outbox.try_get_untracked().unwrap_or_default();
            if outbox.is_empty() {
                let _ = s.remove_item(&outbox_key);
            } else {
                let _ = s.set_item(&outbox_key, &json::to_string(&outbox));
            }
        }
    }

    /// Whoever signs in, their cart is the one to show (a guest's is theirs until sign-in). Cheap:
    /// called on every start, it reads nothing.
    pub fn want(&self, api: &ApiClient, user_id: &str) {
        self.api.set_value(Some(api.clone()));
        if self.wanted.with_untracked(|w| w.as_deref() != Some(user_id)) {
            self.wanted.set(Some(user_id.to_owned()));
        }
    }

    /// Opens the wanted cart unless it is the one open.
    fn open_wanted(&self) {
        let Some(user_id) = self.wanted.try_get_untracked().flatten() else { return };
        if self.owner.try_get_value().as_deref() != Some(user_id.as_str()) {
            self.open(&user_id);
        }
    }

    /// Starts showing `user_id`'s cart: the cached one at once, then the server's, then the
    /// changes that were waiting (from before a reload) are sent.
    fn open(&self, user_id: &str) {
        self.owner.set_value(user_id.to_owned());
        let (cart_key, outbox_key) = self.keys();
        let stored = |key: &str| storage().and_then(|s| s.get_item(key).ok().flatten());
        self.base.set(stored(&cart_key).and_then(|t| json::from_str::<Cart>(&t).ok()));
        self.outbox.set(stored(&outbox_key).and_then(|t| json::from_str::<Vec<Change>>(&t).ok()).unwrap_or_default());
        self.reload();
    }

    /// Reads the server's cart again (after an order, a copy, a refusal).
    pub fn reload(&self) {
        let Some(api) = self.api.try_get_value().flatten() else { return };
        let this = *self;
        leptos::task::spawn_local(async move {
            match api.get_with_text::<Cart>("/cart").await {
                Ok((cart, text)) => {
                    if this.base.try_set(Some(cart)).is_some() {
                        return;
                    }
                    let _ = this.load_error.try_set(None);
                    // Kept as the API sent it: encoding it again would put the cart's encoders in
                    // every page that shows the cart (they come with the sending code instead).
                    let (cart_key, _) = this.keys();
                    if let Some(s) = storage() {
                        let _ = s.set_item(&cart_key, &text);
                    }
                    this.flush_soon(0);
                }
                Err(e) => {
                    if this.base.try_with_untracked(Option::is_none) == Some(true) {
                        let _ = this.load_error.try_set(Some(e));
                    }
                }
            }
        });
    }

    /// The follower changed something: shown at once, sent shortly (taps in between coalesce).
    pub fn change(&self, change: Change) {
        // A store outlives every page; if it is gone, so is the app, and there is nothing to keep.
        if self.outbox.try_update(|o| enqueue(o, change)).is_none() {
            return;
        }
        self.persist_outbox();
        self.flush_soon(COALESCE_MS);
    }

    /// Tries the waiting changes again now.
    pub fn retry(&self) {
        self.flush_soon(0);
    }

    fn flush_soon(&self, delay_ms: u64) {
        let Some(generation) = self.generation.try_get_value().map(|g| g + 1) else { return };
        self.generation.set_value(generation);
        let this = *self;
        set_timeout(
            move || {
                if this.generation.try_get_value() == Some(generation) {
                    this.send_waiting(0);
                }
            },
            std::time::Duration::from_millis(delay_ms),
        );
    }

    /// Sends the outbox's changes, if any. The sending code is its own module in the release
    /// build (`cart_sync`): a follower who only looks at the cart never downloads it, and one who
    /// changes it gets it fetched ahead or with the first change, which shows at once anyway.
    fn send_waiting(self, failures: usize) {
        if self.outbox.try_with_untracked(Vec::is_empty) != Some(false) {
            // Nothing waits: nothing to load or send (a change being sent finishes on its own).
            if matches!(self.sync.try_get_untracked(), Some(Sync::Waiting(_))) {
                let _ = self.sync.try_set(Sync::Idle);
            }
            return;
        }
        leptos::task::spawn_local(async move {
            #[cfg(wxf_split)]
            let sending = cart_sync(self, failures).await;
            #[cfg(not(wxf_split))]
            let sending = cart_sync(self, failures);
            match sending {
                Ok(sending) => sending.await,
                // Its code could not be fetched: the changes wait, as they do for the network.
                Err(_) => self.wait(ApiError::Network, failures),
            }
        });
    }

    async fn flush(self, failures: usize) {
        if self.sync.try_get_untracked() != Some(Sync::Idle) && !matches!(self.sync.try_get_untracked(), Some(Sync::Waiting(_))) {
            return;
        }
        let Some(api) = self.api.try_get_value().flatten() else { return };
        let mut conflicts = 0;
        loop {
            let (Some(base), Some(next)) = (self.base.try_get_untracked().flatten(), self.outbox.try_with_untracked(|o| o.first().cloned()).flatten()) else {
                let _ = self.sync.try_set(Sync::Idle);
                return;
            };
            let _ = self.sync.try_set(Sync::Sending);
            match send(&api, &base, &next).await {
                Ok(cart) => {
                    let _ = self.base.try_set(Some(cart));
                    let _ = self.outbox.try_update(|o| {
                        if o.first() == Some(&next) {
                            o.remove(0);
                        }
                    });
                    self.persist();
                }
                Err(e) if e.code() == Some("version_conflict") && conflicts < 3 => {
                    conflicts += 1;
                    // Changed on another device: rebase what is waiting onto the current cart.
                    let current = match &e {
                        ApiError::Http { body, .. } => json::FromJson::from_json(&body["current"]).ok(),
                        _ => None,
                    };
                    let current = match current {
                        Some(c) => c,
                        None => match api.get::<Cart>("/cart").await {
                            Ok(c) => c,
                            Err(e) => return self.wait(e, failures),
                        },
                    };
                    let _ = self.outbox.try_update(|o| *o = o.iter().filter_map(|c| rebase(c, &current)).collect());
                    let _ = self.base.try_set(Some(current));
                    self.persist();
                }
                Err(e) if matches!(e.status(), Some(404 | 409 | 410 | 422)) => {
                    // Refused by the rules: this change cannot be made; say why, carry on.
                    let _ = self.outbox.try_update(|o| {
                        if o.first() == Some(&next) {
                            o.remove(0);
                        }
                    });
                    self.explain(&e);
                    self.persist();
                    if let Ok(cart) = api.get::<Cart>("/cart").await {
                        let _ = self.base.try_set(Some(cart));
                        self.persist();
                    }
                }
                Err(e) => return self.wait(e, failures),
            }
        }
    }

    /// Says why the rules refused a change: the most the follower can have, or the server's words.
    fn explain(&self, error: &ApiError) {
        let m = self.i18n.t();
        let most = match error {
            ApiError::Http { body, .. } if matches!(error.code(), Some("over_limit" | "out_of_stock")) => body["max_quantity"].as_i64(),
            _ => None,
        };
        self.toaster.error(match most {
            Some(n) => (m.max_quantity)(n),
            None => error_message(m, error),
        });
    }

    /// Keeps the changes and tries again later.
    fn wait(self, error: ApiError, failures: usize) {
        if self.sync.try_set(Sync::Waiting(error)).is_some() {
            return;
        }
        let delay = RETRY_MS[failures.min(RETRY_MS.len() - 1)];
        let Some(generation) = self.generation.try_get_value() else { return };
        set_timeout(
            move || {
                if self.generation.try_get_value() == Some(generation) && matches!(self.sync.try_get_untracked(), Some(Sync::Waiting(_))) {
                    let _ = self.sync.try_set(Sync::Idle);
                    self.send_waiting(failures + 1);
                }
            },
            std::time::Duration::from_millis(delay),
        );
    }
}

/// The cart, for a page that shows it: opened now for whoever is signed in (the cached cart is on
/// the first render), and again when someone else signs in while the page is up. Once per page:
/// its rows take the store from context (`expect_context::<CartStore>()`).
pub fn use_cart() -> CartStore {
    let carts = expect_context::<CartStore>();
    carts.open_wanted();
    Effect::new(move |_| {
        carts.wanted.track();
        carts.open_wanted();
    });
    carts
}

/// `CartStore::flush` behind the release build's split point (see `send_waiting`).
#[cfg_attr(wxf_split, leptos::wasm_split::wasm_split(cart_sync, wasm_split_path = ::leptos::wasm_split, fallible))]
fn cart_sync(store: CartStore, failures: usize) -> Result<std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>, leptos::wasm_split::SplitLoaderError> {
    Ok(Box::pin(store.flush(failures)))
}

/// One change as the API's request, against the cart version it was made on.
async fn send(api: &ApiClient, base: &Cart, change: &Change) -> Result<Cart, ApiError> {
    let (method, path, mut fields) = match change {
        Change::Add { sku_id, quantity } => ("POST", "/cart/lines".to_owned(), vec![("sku_id", sku_id.to_json()), ("quantity", quantity.to_json())]),
        Change::SetQuantity { line_id, quantity } => ("PATCH", format!("/cart/lines/{line_id}"), vec![("quantity", quantity.to_json())]),
        Change::AcceptPrice { line_id } => ("PATCH", format!("/cart/lines/{line_id}"), vec![("accept_price", Json::Bool(true))]),
        Change::Select { line_ids, selected } => ("POST", "/cart/selection".to_owned(), vec![("line_ids", line_ids.to_json()), ("selected", selected.to_json())]),
        Change::Remove { line_ids } => ("POST", "/cart/removal".to_owned(), vec![("line_ids", line_ids.to_json())]),
        Change::ClearUnavailable => ("POST", "/cart/clear-unavailable".to_owned(), vec![]),
    };
    // `line_ids: null` would mean "no lines"; left out, it means every line.
    fields.retain(|(_, v)| !v.is_null());
    fields.insert(0, ("version", base.version.to_json()));
    api.send::<Cart, _>(method, &path, Some(&Json::object(fields)), None).await
}
