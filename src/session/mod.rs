//! Who the follower is: the session bootstrap (OAuth return, stored session, guest) and the
//! signed-in user every page reads.

pub mod oauth;

use crate::api::{ApiClient, ApiError};
use crate::config::Config;
use crate::wechat::Platform;
use leptos::prelude::*;
use crate::json::{self, FromJson, Json, JsonError, ToJson};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Follower,
    Parent,
    Teacher,
}

crate::json_enum!(Role { Follower = "follower", Parent = "parent", Teacher = "teacher" });

#[derive(Clone, Debug, PartialEq)]
pub struct User {
    pub user_id: String,
    pub name: String,
    pub avatar_url: String,
    pub role: Role,
    pub is_guest: bool,
}

impl FromJson for User {
    fn from_json(v: &Json) -> Result<Self, JsonError> {
        let r = v.record()?;
        Ok(User {
            user_id: r.field("user_id")?,
            name: r.field("name")?,
            avatar_url: r.field("avatar_url")?,
            role: r.field("role")?,
            is_guest: r.field("is_guest")?,
        })
    }
}

impl ToJson for User {
    fn to_json(&self) -> Json {
        Json::object(vec![
            ("user_id", self.user_id.to_json()),
            ("name", self.name.to_json()),
            ("avatar_url", self.avatar_url.to_json()),
            ("role", self.role.to_json()),
            ("is_guest", self.is_guest.to_json()),
        ])
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct SessionInfo {
    pub token: String,
    pub expires_at: i64,
    pub user: User,
}

impl FromJson for SessionInfo {
    fn from_json(v: &Json) -> Result<Self, JsonError> {
        let r = v.record()?;
        Ok(SessionInfo { token: r.field("token")?, expires_at: r.field("expires_at")?, user: r.field("user")? })
    }
}

impl ToJson for SessionInfo {
    fn to_json(&self) -> Json {
        Json::object(vec![("token", self.token.to_json()), ("expires_at", self.expires_at.to_json()), ("user", self.user.to_json())])
    }
}

/// Where the bootstrap is.
#[derive(Clone, Debug, PartialEq)]
pub enum SessionState {
    Starting,
    Ready,
    Failed(ApiError),
}

const SESSION_KEY: &str = "wxf.session";
const STATE_KEY: &str = "wxf.oauth_state";
/// When sign-in was last started automatically, so a failing sign-in restarts once, never in a loop.
const TRIED_KEY: &str = "wxf.oauth_tried_at";
const RETRY_WINDOW_MS: i64 = 5 * 60_000;

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

/// The session (from context: `expect_context::<Session>()`).
#[derive(Clone, Copy)]
pub struct Session {
    pub user: RwSignal<Option<User>>,
    pub state: RwSignal<SessionState>,
    /// A stored session is being shown while `/session/me` confirms it: a refusal meanwhile is
    /// that check's to handle, not a second sign-in's.
    confirming: StoredValue<bool>,
}

impl Session {
    pub fn new() -> Session {
        Session { user: RwSignal::new(None), state: RwSignal::new(SessionState::Starting), confirming: StoredValue::new(false) }
    }

    /// Whether a stored session shown early is still waiting for the API's word on it.
    pub fn confirming(&self) -> bool {
        self.confirming.try_get_value().unwrap_or(false)
    }

    /// Shows the pages (once: setting it again would mount them anew).
    fn ready(&self) {
        if self.state.get_untracked() != SessionState::Ready {
            self.state.set(SessionState::Ready);
        }
    }

    fn adopt(&self, api: &ApiClient, info: &SessionInfo) {
        api.token.set(Some(info.token.clone()));
        // Unchanged, the user is left alone: what depends on who is signed in does not redo its work.
        if self.user.get_untracked().as_ref() != Some(&info.user) {
            self.user.set(Some(info.user.clone()));
        }
        if let Some(storage) = local_storage() {
            let _ = storage.set_item(SESSION_KEY, &json::to_string(info));
        }
    }

    /// Forgets the session (e.g. after a 401); the next bootstrap signs in again.
    pub fn clear(&self, api: &ApiClient) {
        api.token.set(None);
        self.user.set(None);
        if let Some(storage) = local_storage() {
            let _ = storage.remove_item(SESSION_KEY);
        }
    }

    /// The API refused the session mid-way: forget it and sign in again. A signed-in person goes
    /// through sign-in (WeChat's, or the configured page) and comes back to this page; what
    /// they were typing is in drafts, their cart changes in the outbox. A guest just gets a new
    /// guest session.
    pub async fn expired(&self, api: &ApiClient, config: &Config, platform: Platform) {
        let was_guest = self.user.get_untracked().is_none_or(|u| u.is_guest);
        self.clear(api);
        // Sign-in tried moments ago already: carry on as a guest rather than loop.
        if !was_guest && Self::sign_in_once(config) {
            self.state.set(SessionState::Starting);
            return;
        }
        self.bootstrap(api, config, platform).await;
    }

    /// Establishes a session: a just-returned OAuth code, else the stored session, else (in
    /// WeChat) WeChat's sign-in, else a guest.
    pub async fn bootstrap(&self, api: &ApiClient, config: &Config, platform: Platform) {
        self.state.set(SessionState::Starting);
        match self.establish(api, config, platform).await {
            Ok(true) => self.ready(),
            // Leaving for WeChat's sign-in page: stay "starting" until the page goes.
            Ok(false) => {}
            Err(e) => self.state.set(SessionState::Failed(e)),
        }
    }

    /// Starts WeChat's sign-in unless it was started moments ago (then `false`: carry on).
    fn sign_in_once(config: &Config) -> bool {
        // Whole milliseconds: formatting and parsing floats would pull core's float code into
        // the module every page starts with.
        let now = js_sys::Date::now() as i64;
        let storage = session_storage();
        let recent = storage
            .as_ref()
            .and_then(|s| s.get_item(TRIED_KEY).ok().flatten())
            .and_then(|t| t.parse::<i64>().ok())
            .is_some_and(|t| now - t < RETRY_WINDOW_MS);
        if recent {
            return false;
        }
        if let Some(s) = storage {
            let _ = s.set_item(TRIED_KEY, &now.to_string());
        }
        start_sign_in(config);
        true
    }

    async fn establish(&self, api: &ApiClient, config: &Config, platform: Platform) -> Result<bool, ApiError> {
        let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
        // WeChat's snapshot pages (opened from a moments share preview) cannot sign in.
        let snapshot = search.split(['?', '&']).any(|p| p == "is_snapshotuser=1");
        if let Some((code, state)) = take_oauth_return() {
            let expected = session_storage().and_then(|s| s.get_item(STATE_KEY).ok().flatten());
            if let Some(s) = session_storage() {
                let _ = s.remove_item(STATE_KEY);
            }
            // A code whose state we did not issue may be a forged sign-in: never exchange it.
            if expected.as_deref() == Some(state.as_str()) && oauth::is_valid_state(&state) {
                #[cfg(wxf_split)]
                let exchange = exchange_code(*self, api.clone(), code, state).await;
                #[cfg(not(wxf_split))]
                let exchange = exchange_code(*self, api.clone(), code, state);
                // Its code could not be fetched: that is the network, as a failed exchange is.
                match exchange.map_err(|_| ApiError::Network)?.await {
                    Ok(()) => return Ok(true),
                    // An expired or reused code: sign in again once, then carry on as we can.
                    Err(ApiError::Http { status: 400, .. }) => {
                        if platform.in_wechat && !snapshot && Self::sign_in_once(config) {
                            return Ok(false);
                        }
                    }
                    Err(e) => return Err(e),
                }
            } else {
                leptos::logging::warn!("sign-in ignored: its state does not match the one issued");
            }
        }
        let stored = local_storage()
            .and_then(|s| s.get_item(SESSION_KEY).ok().flatten())
            .and_then(|text| json::from_str::<SessionInfo>(&text).ok());
        if let Some(info) = stored {
            api.token.set(Some(info.token.clone()));
            // A returning person sees their page at once, as who they were, while /session/me
            // confirms it: a changed name or role updates in place, a refused session takes the
            // page down and signs in again. (A stored guest inside WeChat is about to sign in
            // properly, so it waits.)
            let shown_early = !(info.user.is_guest && platform.in_wechat && !snapshot);
            if shown_early {
                self.user.set(Some(info.user.clone()));
                self.confirming.set_value(true);
                self.ready();
            }
            let me = api.get::<User>("/session/me").await;
            self.confirming.set_value(false);
            match me {
                Ok(user) if !(user.is_guest && platform.in_wechat && !snapshot) => {
                    self.adopt(api, &SessionInfo { user, ..info });
                    return Ok(true);
                }
                // A guest inside WeChat signs in properly (once).
                Ok(user) => {
                    if Self::sign_in_once(config) {
                        return Ok(false);
                    }
                    self.adopt(api, &SessionInfo { user, ..info });
                    return Ok(true);
                }
                Err(e) if e.is_unauthorized() => {
                    self.state.set(SessionState::Starting);
                    self.clear(api);
                }
                // Not refused, only unconfirmed (offline, a server error): stay as stored; each
                // page says what failed for it, with its own retry.
                Err(e) if shown_early => {
                    leptos::logging::warn!("stored session not confirmed: {e}");
                    return Ok(true);
                }
                Err(e) => return Err(e),
            }
        }
        if platform.in_wechat && !snapshot && Self::sign_in_once(config) {
            return Ok(false);
        }
        let guest = api.send::<SessionInfo, ()>("POST", "/session/guest", None, None).await?;
        self.adopt(api, &guest);
        Ok(true)
    }
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

/// Reads `code`/`state` from the address and removes them at once, so a reload never reuses them.
fn take_oauth_return() -> Option<(String, String)> {
    let window = web_sys::window()?;
    let location = window.location();
    let search = location.search().ok()?;
    let found = oauth::oauth_return(&search)?;
    let clean = format!(
        "{}{}{}",
        location.pathname().unwrap_or_default(),
        oauth::strip_oauth_params(&search),
        location.hash().unwrap_or_default()
    );
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&clean));
    }
    Some(found)
}

/// Exchanges a returned sign-in code for a session and adopts it; a guest who signed in keeps
/// what they put in their cart (merged into the account, best effort). Behind a split point of
/// its own in the release build: only the start that comes back from WeChat's sign-in page runs
/// it, so the code every other start downloads does not carry it.
#[cfg_attr(wxf_split, leptos::wasm_split::wasm_split(wechat_signin, wasm_split_path = ::leptos::wasm_split, fallible))]
fn exchange_code(
    session: Session,
    api: ApiClient,
    code: String,
    state: String,
) -> Result<std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), ApiError>>>>, leptos::wasm_split::SplitLoaderError> {
    Ok(Box::pin(async move {
        let guest_token = local_storage()
            .and_then(|s| s.get_item(SESSION_KEY).ok().flatten())
            .and_then(|text| json::from_str::<SessionInfo>(&text).ok())
            .filter(|info| info.user.is_guest)
            .map(|info| info.token);
        let exchange = Json::object(vec![("code", code.as_str().into()), ("state", state.as_str().into())]);
        let info = api.send::<SessionInfo, _>("POST", "/session/oauth", Some(&exchange), None).await?;
        session.adopt(&api, &info);
        if let (Some(guest_token), false) = (guest_token, info.user.is_guest) {
            let merge = Json::object(vec![("guest_token", guest_token.into())]);
            // Best effort: a failed merge leaves the guest's lines with the guest.
            if let Err(e) = api.send::<Json, _>("POST", "/cart/merge", Some(&merge), None).await {
                leptos::logging::warn!("guest cart not merged: {e}");
            }
        }
        Ok(())
    }))
}

/// Starts WeChat web authorisation (the stand-in's chooser in development), returning here.
pub fn start_sign_in(config: &Config) {
    let Some(window) = web_sys::window() else { return };
    let state = crate::api::new_idempotency_key().replace(['-', '_'], "");
    if let Some(s) = session_storage() {
        let _ = s.set_item(STATE_KEY, &state);
    }
    let here = window.location().href().unwrap_or_default();
    let here = here.split('#').next().unwrap_or_default().to_owned();
    let url = oauth::authorize_url(&config.oauth_authorize_url, &config.app_id, &here, &config.oauth_scope, &state);
    let _ = window.location().assign(&url);
}
