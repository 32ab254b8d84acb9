//! Generated media: placeholder pictures (SVG) sized by their names, voice notes (WAV), uploads.

use crate::Shared;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// `…-{w}x{h}.svg` gives the picture's size; anything else is square.
fn size_of(name: &str) -> (u32, u32) {
    name.trim_end_matches(".svg")
        .rsplit('-')
        .next()
        .and_then(|dims| dims.split_once('x'))
        .and_then(|(w, h)| Some((w.parse().ok()?, h.parse().ok()?)))
        .filter(|(w, h): &(u32, u32)| (1..=4096).contains(w) && (1..=4096).contains(h))
        .unwrap_or((600, 600))
}

pub fn placeholder_svg(seed: &str, w: u32, h: u32) -> String {
    let hash = u32::from_str_radix(&crate::world::short_hash(seed), 16).unwrap_or(0);
    let hue = hash % 360;
    let (cx, cy, r) = (w / 2, h / 2, w.min(h) / 4);
    format!(
        "<svg xmlns='http://www.w3.org/2000/svg' width='{w}' height='{h}' viewBox='0 0 {w} {h}'>\
         <rect width='{w}' height='{h}' fill='hsl({hue},45%,78%)'/>\
         <circle cx='{cx}' cy='{cy}' r='{r}' fill='hsl({},50%,62%)'/></svg>",
        (hue + 40) % 360
    )
}

/// A short 440 Hz tone as 8 kHz mono 16-bit WAV.
pub fn tone_wav(seconds: u32) -> Vec<u8> {
    let rate = 8000u32;
    let samples = rate * seconds;
    let mut out = Vec::with_capacity(44 + samples as usize * 2);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + samples * 2).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&rate.to_le_bytes());
    out.extend_from_slice(&(rate * 2).to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&(samples * 2).to_le_bytes());
    for i in 0..samples {
        let t = i as f32 / rate as f32;
        let v = ((t * 440.0 * std::f32::consts::TAU).sin() * 8000.0) as i16;
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

pub async fn serve(State(s): State<Shared>, Path(name): Path<String>) -> Response {
    let cache = (header::CACHE_CONTROL, "public, max-age=86400");
    if let Some(id) = name.strip_prefix("upload-") {
        let w = s.world();
        return match w.uploads.get(id) {
            Some(up) => ([(header::CONTENT_TYPE, up.content_type.clone())], up.bytes.clone()).into_response(),
            None => StatusCode::NOT_FOUND.into_response(),
        };
    }
    if name.ends_with(".svg") {
        let (w, h) = size_of(&name);
        return ([(header::CONTENT_TYPE, "image/svg+xml"), cache], placeholder_svg(&name, w, h)).into_response();
    }
    if name.ends_with(".wav") {
        return ([(header::CONTENT_TYPE, "audio/wav"), cache], tone_wav(3)).into_response();
    }
    StatusCode::NOT_FOUND.into_response()
}
