//! Voice notes: recording is serialised and debounced (WeChat silently drops start/stop taps
//! that come too fast, which would leave the page and the recorder disagreeing).

/// Taps closer than this to the previous change of state are ignored.
pub const DEBOUNCE_MS: f64 = 400.0;
/// WeChat stops a recording by itself after 60 s.
pub const MAX_SECONDS: u32 = 60;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum VoiceState {
    Idle,
    /// Asked to start; waiting for the recorder.
    Starting,
    Recording { since_ms: f64 },
    /// Asked to stop; waiting for the note.
    Stopping,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VoiceAction {
    Start,
    Stop,
}

/// The recorder's state machine, free of any browser.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct VoiceRecorder {
    pub state: VoiceState,
    last_change_ms: f64,
}

impl Default for VoiceRecorder {
    fn default() -> Self {
        VoiceRecorder { state: VoiceState::Idle, last_change_ms: f64::MIN }
    }
}

impl VoiceRecorder {
    /// A tap on the record button: what to do, if anything.
    pub fn tap(&mut self, now_ms: f64) -> Option<VoiceAction> {
        if now_ms - self.last_change_ms < DEBOUNCE_MS {
            return None;
        }
        let action = match self.state {
            VoiceState::Idle => {
                self.state = VoiceState::Starting;
                VoiceAction::Start
            }
            VoiceState::Recording { .. } => {
                self.state = VoiceState::Stopping;
                VoiceAction::Stop
            }
            // In flight: the recorder has not answered yet.
            VoiceState::Starting | VoiceState::Stopping => return None,
        };
        self.last_change_ms = now_ms;
        Some(action)
    }

    pub fn started(&mut self, now_ms: f64) {
        if self.state == VoiceState::Starting {
            self.state = VoiceState::Recording { since_ms: now_ms };
            self.last_change_ms = now_ms;
        }
    }

    /// The recorder stopped (asked to, at the 60 s limit, or it failed).
    pub fn stopped(&mut self, now_ms: f64) {
        self.state = VoiceState::Idle;
        self.last_change_ms = now_ms;
    }

    /// Whole seconds recorded so far.
    pub fn seconds(&self, now_ms: f64) -> u32 {
        match self.state {
            VoiceState::Recording { since_ms } => (((now_ms - since_ms) / 1000.0).max(0.0) as u32).min(MAX_SECONDS),
            _ => 0,
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn start_record_stop_in_order() {
        let mut r = VoiceRecorder::default();
        assert_eq!(r.tap(0.0), Some(VoiceAction::Start));
        assert_eq!(r.tap(1000.0), None, "still starting: no second start");
        r.started(100.0);
        assert_eq!(r.seconds(3100.0), 3);
        assert_eq!(r.tap(3100.0), Some(VoiceAction::Stop));
        assert_eq!(r.tap(3200.0), None);
        r.stopped(3300.0);
        assert_eq!(r.state, VoiceState::Idle);
    }

    #[test]
    fn taps_too_close_together_are_dropped() {
        let mut r = VoiceRecorder::default();
        assert_eq!(r.tap(0.0), Some(VoiceAction::Start));
        r.started(50.0);
        assert_eq!(r.tap(200.0), None, "a stop right after the start is a double tap");
        assert_eq!(r.tap(500.0), Some(VoiceAction::Stop));
        r.stopped(520.0);
        assert_eq!(r.tap(600.0), None);
        assert_eq!(r.tap(1000.0), Some(VoiceAction::Start));
    }

    #[test]
    fn recordings_count_to_the_limit() {
        let mut r = VoiceRecorder::default();
        r.tap(0.0);
        r.started(0.0);
        assert_eq!(r.seconds(90_000.0), MAX_SECONDS);
    }
}

use super::pictures::Upload;
use super::sdk::{call, object, Outcome};
use super::{JsSdk, MediaDone, MediaFailed, MediaJob};
use crate::api::ApiClient;
use crate::i18n::use_i18n;
use js_sys::{Promise, Reflect};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// A browser recording in progress (outside WeChat).
pub struct BrowserRecording {
    recorder: web_sys::MediaRecorder,
    chunks: js_sys::Array,
}

impl Drop for BrowserRecording {
    /// However a recording ends (stopped, failed, or its page left mid-note), the microphone is
    /// given back: its tracks stopped, so the browser's "recording" indicator goes too.
    fn drop(&mut self) {
        let _ = self.recorder.stop();
        for t in self.recorder.stream().get_tracks().iter() {
            if let Ok(track) = t.dyn_into::<web_sys::MediaStreamTrack>() {
                track.stop();
            }
        }
    }
}

/// Records with the microphone through MediaRecorder; `None` where it is not supported or refused.
async fn browser_start() -> Option<BrowserRecording> {
    let window = web_sys::window()?;
    let has_recorder = Reflect::get(&window, &"MediaRecorder".into()).is_ok_and(|v| v.is_function());
    let devices = window.navigator().media_devices().ok()?;
    if !has_recorder {
        return None;
    }
    let constraints = web_sys::MediaStreamConstraints::new();
    constraints.set_audio(&JsValue::TRUE);
    let stream: web_sys::MediaStream = JsFuture::from(devices.get_user_media_with_constraints(&constraints).ok()?).await.ok()?.dyn_into().ok()?;
    let recorder = web_sys::MediaRecorder::new_with_media_stream(&stream).ok()?;
    let chunks = js_sys::Array::new();
    let sink = chunks.clone();
    let on_data = Closure::<dyn Fn(web_sys::BlobEvent)>::new(move |ev: web_sys::BlobEvent| {
        if let Some(b) = ev.data() {
            sink.push(&b);
        }
    });
    recorder.set_ondataavailable(Some(on_data.as_ref().unchecked_ref()));
    on_data.forget();
    recorder.start().ok()?;
    Some(BrowserRecording { recorder, chunks })
}

async fn browser_stop(rec: BrowserRecording) -> Option<web_sys::Blob> {
    let stopped = Promise::new(&mut |resolve, _| rec.recorder.set_onstop(Some(&resolve)));
    rec.recorder.stop().ok()?;
    JsFuture::from(stopped).await.ok()?;
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(&rec.recorder.mime_type());
    web_sys::Blob::new_with_blob_sequence_and_options(&rec.chunks, &options).ok()
}


/// Starts a note: WeChat's recorder, or the microphone (its recording to stop later).
pub(super) async fn start(in_wechat: bool) -> Result<Option<BrowserRecording>, MediaFailed> {
    if in_wechat {
        return match call("startRecord", object(&[])).await {
            Outcome::Ok(_) => Ok(None),
            _ => Err(MediaFailed::Voice),
        };
    }
    browser_start().await.map(Some).ok_or(MediaFailed::Unsupported)
}

/// Stops the note and uploads it.
pub(super) async fn stop(api: &ApiClient, in_wechat: bool, recording: Option<BrowserRecording>) -> Result<Upload, MediaFailed> {
    if in_wechat {
        let local_id = match call("stopRecord", object(&[])).await {
            Outcome::Ok(r) => Reflect::get(&r, &"localId".into()).ok().and_then(|v| v.as_string()),
            _ => None,
        };
        let server_id = match local_id {
            Some(id) => match call("uploadVoice", object(&[("localId", id.into()), ("isShowProgressTips", 1.into())])).await {
                Outcome::Ok(r) => Reflect::get(&r, &"serverId".into()).ok().and_then(|v| v.as_string()),
                _ => None,
            },
            None => None,
        };
        let id = server_id.ok_or(MediaFailed::Voice)?;
        return api.send_upload::<Upload, _>("/uploads/wechat", &super::wechat_media(&id, "voice")).await.map_err(|_| MediaFailed::Upload);
    }
    let blob = match recording {
        Some(rec) => browser_stop(rec).await,
        None => None,
    };
    let (form, blob) = blob.and_then(|b| web_sys::FormData::new().ok().map(|f| (f, b))).ok_or(MediaFailed::Voice)?;
    let _ = form.append_with_blob_and_filename("file", &blob, "voice.webm");
    let _ = form.append_with_str("kind", "voice");
    api.send_form::<Upload>("/uploads", form).await.map_err(|_| MediaFailed::Upload)
}

/// A voice-note button: tap to record, tap to stop; the note is uploaded and handed over.
/// WeChat's recorder inside WeChat (60 s at most), the microphone elsewhere, or a clear
/// "not supported".
#[component]
pub fn VoiceNote(
    /// Called with the uploaded note.
    #[prop(into)]
    on_recorded: Callback<Upload>,
    /// Called with a message when recording is impossible or failed.
    #[prop(into)]
    on_error: Callback<String>,
) -> impl IntoView {
    let api = expect_context::<ApiClient>();
    let sdk = expect_context::<JsSdk>();
    let i18n = use_i18n();
    let machine = StoredValue::new(VoiceRecorder::default());
    let state = RwSignal::new(VoiceState::Idle);
    let browser: StoredValue<Option<BrowserRecording>, LocalStorage> = StoredValue::new_local(None);
    let now = js_sys::Date::now;
    let finish = move |machine: StoredValue<VoiceRecorder>| {
        machine.update_value(|m| m.stopped(js_sys::Date::now()));
        state.set(machine.with_value(|m| m.state));
    };
    let tap = move |_| {
        let Some(action) = machine.try_update_value(|m| m.tap(now())).flatten() else { return };
        state.set(machine.with_value(|m| m.state));
        let api = api.clone();
        leptos::task::spawn_local(async move {
            let in_wechat = sdk.ready().await;
            let job = match action {
                VoiceAction::Start => MediaJob::StartVoice { in_wechat },
                VoiceAction::Stop => MediaJob::StopVoice { in_wechat, recording: browser.try_update_value(|b| b.take()).flatten() },
            };
            let answer = super::media(&api, job).await;
            // An answer can come after the recorder has gone with its page: then there is nothing
            // to update and no one to tell.
            if state.is_disposed() {
                return;
            }
            let m = i18n.t();
            match answer {
                Ok(MediaDone::Recording(rec)) => {
                    browser.set_value(rec);
                    machine.update_value(|m| m.started(js_sys::Date::now()));
                }
                Ok(MediaDone::Uploads(mut notes)) => {
                    if let Some(note) = notes.pop() {
                        on_recorded.run(note);
                    }
                    finish(machine);
                }
                Ok(MediaDone::Cancelled) => finish(machine),
                Err(failed) => {
                    on_error.run(match failed {
                        MediaFailed::Api(e) => crate::ui::error_message(m, &e),
                        MediaFailed::Upload => m.upload_failed.to_owned(),
                        MediaFailed::Voice => m.voice_failed.to_owned(),
                        MediaFailed::Unsupported => m.voice_unsupported.to_owned(),
                    });
                    finish(machine);
                }
            }
            if let Some(now) = machine.try_with_value(|m| m.state) {
                let _ = state.try_set(now);
            }
        });
    };
    let label = move || {
        let m = i18n.t();
        match state.get() {
            VoiceState::Idle => m.voice_record,
            VoiceState::Starting | VoiceState::Stopping => m.loading,
            VoiceState::Recording { .. } => m.voice_stop,
        }
    };
    view! {
        <button type="button" class="btn btn-default btn-small voice-note"
            class:voice-recording=move || matches!(state.get(), VoiceState::Recording { .. })
            aria-pressed=move || if matches!(state.get(), VoiceState::Recording { .. }) { "true" } else { "false" }
            on:click=tap>{label}</button>
    }
}
