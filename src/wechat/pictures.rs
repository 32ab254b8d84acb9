//! Choosing and uploading pictures: WeChat's chooser and upload inside WeChat; a file input
//! (`accept="image/*"`, which keeps the camera option on Android) with client-side
//! downscaling and a multipart upload everywhere else.

use super::sdk::{call, object, Outcome};
use super::{JsSdk, MediaDone, MediaFailed, MediaJob};
use crate::api::{ApiClient, ApiError};
use crate::i18n::use_i18n;
use crate::ui::error_message;
use js_sys::{Array, Promise, Reflect};
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use crate::json_record;

/// A stored upload, as the API describes it.
#[derive(Clone, Debug, PartialEq)]
pub struct Upload {
    pub upload_id: String,
    pub kind: String,
    pub url: String,
    pub bytes: i64,
}
json_record!(read write Upload { upload_id, kind, url, bytes });

/// Pictures are sent at most this many pixels on their longer side.
pub const MAX_SIDE: u32 = 1600;

/// The size a picture is sent at: shrunk to fit `max` on its longer side, never enlarged.
pub fn downscaled(width: u32, height: u32, max: u32) -> (u32, u32) {
    let longer = width.max(height);
    if longer <= max || longer == 0 {
        return (width.max(1), height.max(1));
    }
    let scale = max as f64 / longer as f64;
    (((width as f64 * scale).round() as u32).max(1), ((height as f64 * scale).round() as u32).max(1))
}


/// WeChat: choose up to `count` pictures, upload each to WeChat, then hand the serverIds to the API.
pub(super) async fn choose_in_wechat(api: &ApiClient, count: usize) -> Outcome<Vec<Upload>> {
    let list = |items: &[&str]| items.iter().map(|s| JsValue::from_str(s)).collect::<Array>();
    let chosen = call("chooseImage", object(&[("count", (count.clamp(1, 9) as u32).into()), ("sizeType", list(&["compressed"]).into()), ("sourceType", list(&["album", "camera"]).into())])).await;
    let res = match chosen {
        Outcome::Ok(res) => res,
        Outcome::Cancelled => return Outcome::Cancelled,
        Outcome::Failed(e) => return Outcome::Failed(e),
    };
    let local_ids: Vec<String> = Reflect::get(&res, &"localIds".into())
        .ok()
        .map(|ids| Array::from(&ids).iter().filter_map(|v| v.as_string()).collect())
        .unwrap_or_default();
    let mut uploads = Vec::new();
    // One at a time: WeChat's uploadImage does not run in parallel.
    for local_id in local_ids {
        let uploaded = call("uploadImage", object(&[("localId", local_id.into()), ("isShowProgressTips", 1.into())])).await;
        let server_id = match uploaded {
            Outcome::Ok(r) => Reflect::get(&r, &"serverId".into()).ok().and_then(|v| v.as_string()).unwrap_or_default(),
            Outcome::Cancelled => return Outcome::Cancelled,
            Outcome::Failed(e) => return Outcome::Failed(e),
        };
        match api.send_upload::<Upload, _>("/uploads/wechat", &super::wechat_media(&server_id, "image")).await {
            Ok(u) => uploads.push(u),
            Err(e) => return Outcome::Failed(e.to_string()),
        }
    }
    Outcome::Ok(uploads)
}

/// The file as a JPEG no larger than `MAX_SIDE`, or the file itself if the browser cannot
/// decode it (the server then judges it).
async fn shrink(file: &web_sys::File) -> web_sys::Blob {
    async fn try_shrink(file: &web_sys::File) -> Option<web_sys::Blob> {
        let window = web_sys::window()?;
        let bitmap: web_sys::ImageBitmap = JsFuture::from(window.create_image_bitmap_with_blob(file).ok()?).await.ok()?.dyn_into().ok()?;
        let (w, h) = downscaled(bitmap.width(), bitmap.height(), MAX_SIDE);
        let canvas: web_sys::HtmlCanvasElement = window.document()?.create_element("canvas").ok()?.dyn_into().ok()?;
        canvas.set_width(w);
        canvas.set_height(h);
        let ctx: web_sys::CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        ctx.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, w as f64, h as f64).ok()?;
        let blob = JsFuture::from(Promise::new(&mut |resolve, _| {
            let _ = canvas.to_blob_with_type_and_encoder_options(&resolve, "image/jpeg", &JsValue::from_f64(0.85));
        }))
        .await
        .ok()?;
        blob.dyn_into().ok()
    }
    match try_shrink(file).await {
        Some(blob) => blob,
        None => file.clone().into(),
    }
}

/// Uploads files from a file input as pictures.
pub async fn upload_files(api: &ApiClient, files: Vec<web_sys::File>) -> Result<Vec<Upload>, ApiError> {
    let mut uploads = Vec::new();
    for file in files {
        let blob = shrink(&file).await;
        let form = web_sys::FormData::new().map_err(|_| ApiError::Network)?;
        let name = if blob.type_() == "image/jpeg" { "photo.jpg".to_owned() } else { file.name() };
        form.append_with_blob_and_filename("file", &blob, &name).map_err(|_| ApiError::Network)?;
        form.append_with_str("kind", "image").map_err(|_| ApiError::Network)?;
        uploads.push(api.send_form::<Upload>("/uploads", form).await?);
    }
    Ok(uploads)
}

/// A button that adds pictures: WeChat's chooser in WeChat, the file picker elsewhere.
#[component]
pub fn PicturePicker(
    /// How many more pictures may be added.
    #[prop(into)]
    remaining: Signal<usize>,
    /// Called with each batch of uploaded pictures.
    #[prop(into)]
    on_uploaded: Callback<Vec<Upload>>,
    /// Called with a message when choosing or uploading failed (cancelling is not a failure).
    #[prop(into)]
    on_error: Callback<String>,
    children: Children,
) -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let sdk = expect_context::<JsSdk>();
    let i18n = use_i18n();
    let busy = RwSignal::new(false);
    let input = NodeRef::<html::Input>::new();
    // What a job's end means for the picker (it may have gone with its page meanwhile).
    let finished = move |answer: Result<MediaDone, MediaFailed>| {
        if busy.is_disposed() {
            return;
        }
        match answer {
            Ok(MediaDone::Uploads(uploads)) => on_uploaded.run(uploads),
            Ok(_) => {}
            Err(MediaFailed::Api(e)) => on_error.run(error_message(i18n.t(), &e)),
            Err(_) => on_error.run(i18n.t().upload_failed.to_owned()),
        }
        busy.set(false);
    };
    let api_for_files = api.clone();
    let on_files = move |_| {
        let Some(el) = input.get_untracked() else { return };
        let files: Vec<web_sys::File> = el.files().map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect()).unwrap_or_default();
        el.set_value("");
        let files: Vec<web_sys::File> = files.into_iter().take(remaining.get_untracked()).collect();
        if files.is_empty() {
            return;
        }
        let api = api_for_files.clone();
        busy.set(true);
        leptos::task::spawn_local(async move { finished(super::media(&api, MediaJob::UploadPictures(files)).await) });
    };
    let on_tap = move |_| {
        if busy.get_untracked() || remaining.get_untracked() == 0 {
            return;
        }
        let api = api.clone();
        leptos::task::spawn_local(async move {
            if sdk.ready().await {
                if busy.try_set(true).is_some() {
                    return;
                }
                finished(super::media(&api, MediaJob::ChoosePictures(remaining.get_untracked())).await);
            } else if let Some(el) = input.get_untracked() {
                el.click();
            }
        });
    };
    view! {
        <input type="file" accept="image/*" multiple class="visually-hidden" tabindex="-1" aria-hidden="true" node_ref=input on:change=on_files/>
        <button type="button" class="picker" disabled=move || busy.get() || remaining.get() == 0 aria-busy=move || if busy.get() { "true" } else { "false" } on:click=on_tap>
            {children()}
        </button>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn big_pictures_shrink_small_ones_stay() {
        assert_eq!(downscaled(4000, 3000, 1600), (1600, 1200));
        assert_eq!(downscaled(1080, 1920, 1600), (900, 1600));
        assert_eq!(downscaled(800, 600, 1600), (800, 600));
    }

    proptest! {
        #[test]
        fn never_larger_than_the_box_and_never_zero(w in 0u32..20_000, h in 0u32..20_000) {
            let (a, b) = downscaled(w, h, MAX_SIDE);
            prop_assert!(a >= 1 && b >= 1);
            prop_assert!(a.max(b) <= MAX_SIDE.max(w.max(h).min(MAX_SIDE)));
        }
    }
}
