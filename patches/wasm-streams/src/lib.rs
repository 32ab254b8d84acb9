//! Takes the place of the `wasm-streams` crate in this app's build.
//!
//! Leptos always links its server-function client, and that client names `wasm-streams` for
//! streaming request and response bodies. `wasm-streams` exports JS classes
//! (`IntoUnderlyingSource`, `IntoUnderlyingSink`, …) from the wasm. Exported code cannot be
//! dropped, so every build carried those classes' futures in the main module that every first
//! visit downloads, although this app declares no server functions and never calls them.
//!
//! This crate has the same two conversions and exports nothing. If a server function with a
//! streaming body were ever declared, its request would send an empty body, and reading its
//! response stream would yield one error saying why.

use futures_util::stream::{self, Stream};
use wasm_bindgen::{JsCast, JsValue};

/// A browser `ReadableStream`.
pub struct ReadableStream {
    raw: web_sys::ReadableStream,
}

impl ReadableStream {
    /// Wraps a browser stream.
    pub fn from_raw(raw: web_sys::ReadableStream) -> ReadableStream {
        ReadableStream { raw }
    }

    /// A browser stream for a Rust stream. Without wasm-streams' source class, this is an empty
    /// stream: the Rust stream is dropped unread.
    pub fn from_stream<St>(_stream: St) -> ReadableStream
    where
        St: Stream<Item = Result<JsValue, JsValue>> + 'static,
    {
        let raw = web_sys::ReadableStream::new().unwrap_or_else(|error| error.unchecked_into());
        ReadableStream { raw }
    }

    /// The browser stream.
    pub fn into_raw(self) -> web_sys::ReadableStream {
        self.raw
    }

    /// The stream's chunks as a Rust stream. Without wasm-streams' reader, this is one error.
    pub fn into_stream(self) -> impl Stream<Item = Result<JsValue, JsValue>> + Unpin + 'static {
        stream::iter([Err(JsValue::from_str("streaming bodies are not supported in this build (patches/wasm-streams)"))])
    }
}
