//! WeChat inside, a working fallback everywhere else: every action the app asks of WeChat
//! (pay, share, scan, pictures, voice, location, address, open tags) goes through here.

pub mod env;
pub mod open_tags;
pub mod pay;
pub mod pictures;
pub mod sdk;
pub mod voice;

pub use env::Platform;
pub use sdk::{JsSdk, Outcome, SdkState};

use crate::json::Json;
use js_sys::{Promise, Reflect};
use sdk::{call, object};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// What a shared page looks like in a chat (WeChat's share card).
#[derive(Clone, Debug, PartialEq)]
pub struct ShareCard {
    pub title: String,
    pub desc: String,
    /// Absolute, on the account's JS-safe domain.
    pub link: String,
    pub img_url: String,
}

/// Sets the card WeChat's "···" menu shares for this page (chat and moments). Outside WeChat
/// there is no such menu: pages offer `share_now` on a button.
pub async fn set_share_card(sdk: &JsSdk, card: &ShareCard) -> Outcome<()> {
    if !sdk.ready().await {
        return Outcome::Failed("jssdk unavailable".into());
    }
    let params = || {
        object(&[
            ("title", card.title.as_str().into()),
            ("desc", card.desc.as_str().into()),
            ("link", card.link.as_str().into()),
            ("imgUrl", card.img_url.as_str().into()),
        ])
    };
    let chat = call("updateAppMessageShareData", params()).await;
    let moments = call("updateTimelineShareData", params()).await;
    match (chat, moments) {
        (Outcome::Ok(_), Outcome::Ok(_)) => Outcome::Ok(()),
        (Outcome::Failed(e), _) | (_, Outcome::Failed(e)) => Outcome::Failed(e),
        _ => Outcome::Cancelled,
    }
}

/// How a share button did.
#[derive(Clone, Debug, PartialEq)]
pub enum Shared {
    /// In WeChat a page cannot open the share panel: show the guide to the "···" menu.
    UseWechatMenu,
    /// The system share sheet took it.
    SystemSheet,
    /// The link was copied: say so.
    Copied,
    Cancelled,
    Failed(String),
}

/// The follower tapped "share".
pub async fn share_now(sdk: &JsSdk, card: &ShareCard) -> Shared {
    if sdk.platform.in_wechat {
        let _ = set_share_card(sdk, card).await;
        return Shared::UseWechatMenu;
    }
    let Some(window) = web_sys::window() else { return Shared::Failed("no window".into()) };
    let navigator = window.navigator();
    let can_share = Reflect::get(&navigator, &"share".into()).is_ok_and(|f| f.is_function());
    if can_share {
        let data = object(&[("title", card.title.as_str().into()), ("text", card.desc.as_str().into()), ("url", card.link.as_str().into())]);
        let share: js_sys::Function = Reflect::get(&navigator, &"share".into()).unwrap_or(JsValue::NULL).unchecked_into();
        return match share.call1(&navigator, &data).map(|p| JsFuture::from(Promise::from(p))) {
            Ok(future) => match future.await {
                Ok(_) => Shared::SystemSheet,
                Err(e) if Reflect::get(&e, &"name".into()).ok().and_then(|n| n.as_string()).as_deref() == Some("AbortError") => Shared::Cancelled,
                Err(_) => copy_link(&card.link).await,
            },
            Err(_) => copy_link(&card.link).await,
        };
    }
    copy_link(&card.link).await
}

/// Copies text to the clipboard.
pub async fn copy_link(link: &str) -> Shared {
    let Some(window) = web_sys::window() else { return Shared::Failed("no window".into()) };
    let clipboard = Reflect::get(&window.navigator(), &"clipboard".into()).ok().filter(|c| !c.is_undefined());
    if let Some(clipboard) = clipboard {
        if let Ok(write) = Reflect::get(&clipboard, &"writeText".into()).and_then(|f| f.dyn_into::<js_sys::Function>()) {
            if let Ok(p) = write.call1(&clipboard, &JsValue::from_str(link)) {
                if JsFuture::from(Promise::from(p)).await.is_ok() {
                    return Shared::Copied;
                }
            }
        }
    }
    Shared::Failed("clipboard unavailable".into())
}

/// How a scan ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Scan {
    Code(String),
    Cancelled,
    Failed(String),
    /// No camera scanner here: ask the follower to type the code.
    TypeIt,
}

/// Scans a QR or bar code with WeChat's scanner (`needResult: 1`).
pub async fn scan(sdk: &JsSdk) -> Scan {
    if !sdk.ready().await {
        return Scan::TypeIt;
    }
    let types: js_sys::Array = ["qrCode", "barCode"].iter().map(|s| JsValue::from_str(s)).collect();
    match call("scanQRCode", object(&[("needResult", 1.into()), ("scanType", types.into())])).await {
        Outcome::Ok(res) => {
            let text = Reflect::get(&res, &"resultStr".into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
            // Bar codes come as "EAN_13,6901234567892".
            let code = text.split_once(',').filter(|(kind, _)| kind.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')).map(|(_, c)| c.to_owned()).unwrap_or(text);
            if code.is_empty() { Scan::Failed("empty scan".into()) } else { Scan::Code(code) }
        }
        Outcome::Cancelled => Scan::Cancelled,
        Outcome::Failed(e) => Scan::Failed(e),
    }
}

/// A place on the map (WGS-84 from the browser, GCJ-02 from WeChat, as each reports).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Location {
    pub latitude: f64,
    pub longitude: f64,
}

/// The follower's location: WeChat's, else the browser's geolocation.
pub async fn location(sdk: &JsSdk) -> Outcome<Location> {
    let read = |res: &JsValue, key: &str| Reflect::get(res, &key.into()).ok().and_then(|v| v.as_f64().or_else(|| crate::json::parse_number(&v.as_string()?)));
    if sdk.ready().await {
        return match call("getLocation", object(&[("type", "gcj02".into())])).await {
            Outcome::Ok(res) => match (read(&res, "latitude"), read(&res, "longitude")) {
                (Some(latitude), Some(longitude)) => Outcome::Ok(Location { latitude, longitude }),
                _ => Outcome::Failed("no coordinates".into()),
            },
            Outcome::Cancelled => Outcome::Cancelled,
            Outcome::Failed(e) => Outcome::Failed(e),
        };
    }
    let Some(geo) = web_sys::window().and_then(|w| Reflect::get(&w.navigator(), &"geolocation".into()).ok()).filter(|g| !g.is_undefined()) else {
        return Outcome::Failed("geolocation unavailable".into());
    };
    let promise = Promise::new(&mut |resolve, reject| {
        let options = object(&[("timeout", 10_000.into()), ("maximumAge", 60_000.into())]);
        if let Ok(get) = Reflect::get(&geo, &"getCurrentPosition".into()).and_then(|f| f.dyn_into::<js_sys::Function>()) {
            let _ = get.call3(&geo, &resolve, &reject, &options);
        }
    });
    match JsFuture::from(promise).await {
        Ok(position) => {
            let coords = Reflect::get(&position, &"coords".into()).unwrap_or(JsValue::NULL);
            match (read(&coords, "latitude"), read(&coords, "longitude")) {
                (Some(latitude), Some(longitude)) => Outcome::Ok(Location { latitude, longitude }),
                _ => Outcome::Failed("no coordinates".into()),
            }
        }
        // PERMISSION_DENIED is the follower's "no": treat it as cancelled.
        Err(e) if Reflect::get(&e, &"code".into()).ok().and_then(|c| c.as_f64()) == Some(1.0) => Outcome::Cancelled,
        Err(_) => Outcome::Failed("position unavailable".into()),
    }
}

/// A delivery address from WeChat's address book.
#[derive(Clone, Debug, PartialEq)]
pub struct WechatAddress {
    pub name: String,
    pub phone: String,
    pub region: String,
    pub detail: String,
}

/// WeChat's address picker; `None` when not in WeChat (the page shows its address form).
pub async fn open_address(sdk: &JsSdk) -> Option<Outcome<WechatAddress>> {
    if !sdk.ready().await {
        return None;
    }
    let text = |res: &JsValue, key: &str| Reflect::get(res, &key.into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
    Some(call("openAddress", object(&[])).await.map(|res| WechatAddress {
        name: text(&res, "userName"),
        phone: text(&res, "telNumber"),
        region: [text(&res, "provinceName"), text(&res, "cityName"), text(&res, "countryName")].join(" ").trim().to_owned(),
        detail: text(&res, "detailInfo"),
    }))
}

/// Shows pictures full screen with WeChat's viewer; `false` when the page must use its own.
pub async fn preview_with_wechat(sdk: &JsSdk, urls: &[String], current: usize) -> bool {
    if !sdk.ready().await || urls.is_empty() {
        return false;
    }
    let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
    // WeChat's viewer needs absolute URLs.
    let absolute: js_sys::Array = urls.iter().map(|u| JsValue::from_str(&if u.starts_with('/') { format!("{origin}{u}") } else { u.clone() })).collect();
    let current = absolute.get(current.min(urls.len() - 1) as u32);
    matches!(call("previewImage", object(&[("current", current), ("urls", absolute.into())])).await, Outcome::Ok(_))
}

/// The API's request to fetch a media file WeChat holds (`/uploads/wechat`) by its serverId.
fn wechat_media(server_id: &str, kind: &str) -> Json {
    Json::object(vec![("server_id", server_id.into()), ("kind", kind.into())])
}

/// What the pictures and voice code is asked to do. That code (WeChat's chooser and recorder,
/// downscaling, the microphone, the uploads) is a module of its own in the release build
/// (`wechat_media`): only a tap on "add photos" or "record" fetches it, not the forms that show
/// those buttons.
pub enum MediaJob {
    /// WeChat's chooser for at most this many pictures, each then uploaded.
    ChoosePictures(usize),
    /// Pictures from the file input: shrunk, then uploaded.
    UploadPictures(Vec<web_sys::File>),
    /// Start a voice note: WeChat's recorder, or else the microphone.
    StartVoice { in_wechat: bool },
    /// Stop the voice note and upload it (`recording` is the microphone's, outside WeChat).
    StopVoice { in_wechat: bool, recording: Option<voice::BrowserRecording> },
}

/// A media job's result.
pub enum MediaDone {
    Uploads(Vec<pictures::Upload>),
    /// Recording; outside WeChat, the microphone's recording to stop later.
    Recording(Option<voice::BrowserRecording>),
    Cancelled,
}

/// Why a media job failed, so the control can say it in the person's words.
#[derive(Debug)]
pub enum MediaFailed {
    /// The API refused or could not be reached (also: the media code could not be fetched).
    Api(crate::api::ApiError),
    /// WeChat's upload, or the note's, failed.
    Upload,
    /// The recorder failed.
    Voice,
    /// No recorder here (no microphone outside WeChat, or it was refused).
    Unsupported,
}

/// Runs a media job, fetching its code first in the release build.
pub async fn media(api: &crate::api::ApiClient, job: MediaJob) -> Result<MediaDone, MediaFailed> {
    #[cfg(wxf_split)]
    let code = media_code(api.clone(), job).await;
    #[cfg(not(wxf_split))]
    let code = media_code(api.clone(), job);
    match code {
        Ok(running) => running.await,
        Err(_) => Err(MediaFailed::Api(crate::api::ApiError::Network)),
    }
}

#[cfg_attr(wxf_split, leptos::wasm_split::wasm_split(wechat_media, wasm_split_path = ::leptos::wasm_split, fallible))]
fn media_code(
    api: crate::api::ApiClient,
    job: MediaJob,
) -> Result<std::pin::Pin<Box<dyn std::future::Future<Output = Result<MediaDone, MediaFailed>>>>, leptos::wasm_split::SplitLoaderError> {
    Ok(Box::pin(async move {
        match job {
            MediaJob::ChoosePictures(count) => match pictures::choose_in_wechat(&api, count).await {
                Outcome::Ok(uploads) => Ok(MediaDone::Uploads(uploads)),
                Outcome::Cancelled => Ok(MediaDone::Cancelled),
                Outcome::Failed(_) => Err(MediaFailed::Upload),
            },
            MediaJob::UploadPictures(files) => pictures::upload_files(&api, files).await.map(MediaDone::Uploads).map_err(MediaFailed::Api),
            MediaJob::StartVoice { in_wechat } => voice::start(in_wechat).await.map(MediaDone::Recording),
            MediaJob::StopVoice { in_wechat, recording } => voice::stop(&api, in_wechat, recording).await.map(|u| MediaDone::Uploads(vec![u])),
        }
    }))
}
