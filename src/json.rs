//! JSON as the app reads and writes it: one small parser into a tree (`Json`), one writer, and a
//! decoder per type (`FromJson`) written by hand next to the type.
//!
//! Why not serde: its derived decoders are generic code instantiated per type and per format,
//! a sixth of the main module and a tenth of each area's code (issue 11's size budget). Here the
//! parser is compiled once and a type's decoder is a few field reads. What a decoder does with
//! missing, null or odd fields is written out where the type is, which is where a reader of an
//! untrusted API wants to see it.

use std::fmt;

/// A JSON value. Objects keep their keys in order; numbers keep their text and are read as an
/// integer or a float only when asked (so float parsing is only linked where a float is read).
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Json {
    #[default]
    Null,
    Bool(bool),
    /// A number's text, valid by JSON's grammar.
    Num(Box<str>),
    Str(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

/// Why a text or a value is not what was expected, with the path to the bad part
/// (`stores.0.lines.3.quantity: expected an integer`).
#[derive(Clone, Debug, PartialEq)]
pub struct JsonError(pub String);

impl JsonError {
    pub fn new(why: &str) -> JsonError {
        JsonError(why.to_owned())
    }

    /// The same error one level further in: `key` is a field name or an index.
    pub fn at(self, key: &str) -> JsonError {
        JsonError(format!("{key}.{}", self.0))
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for JsonError {}

/// How deep arrays and objects may nest: an answer nested deeper is refused, not a stack overflow.
const MAX_DEPTH: u32 = 128;

/// Parses one JSON text (surrounding whitespace allowed, nothing else after the value).
pub fn parse(text: &str) -> Result<Json, JsonError> {
    let mut p = Parser { text, at: 0, depth: 0 };
    let value = p.value()?;
    p.skip_space();
    if p.at != text.len() {
        return Err(p.fail("trailing characters"));
    }
    Ok(value)
}

/// Parses `text` and decodes it as a `T`.
pub fn from_str<T: FromJson>(text: &str) -> Result<T, JsonError> {
    T::from_json(&parse(text)?)
}

/// The compact JSON text of `value`.
pub fn to_string<T: ToJson + ?Sized>(value: &T) -> String {
    value.to_json().to_text()
}

struct Parser<'a> {
    text: &'a str,
    at: usize,
    depth: u32,
}

impl Parser<'_> {
    /// Where it went wrong as a person finds it in a pasted text: line and column, from 1.
    fn fail(&self, why: &str) -> JsonError {
        // After a bad escape `at` can sit inside a character: step back to its start.
        let mut at = self.at.min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        let before = &self.text[..at];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        JsonError(format!("{why} at line {line}, column {column}"))
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.skip_space();
        if self.peek() == Some(byte) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn value(&mut self) -> Result<Json, JsonError> {
        self.skip_space();
        match self.peek() {
            Some(b'n') => self.word("null", Json::Null),
            Some(b't') => self.word("true", Json::Bool(true)),
            Some(b'f') => self.word("false", Json::Bool(false)),
            Some(b'"') => Ok(Json::Str(self.string()?)),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'[') => {
                self.nest()?;
                let mut items = Vec::new();
                if !self.eat(b']') {
                    loop {
                        items.push(self.value()?);
                        if self.eat(b']') {
                            break;
                        }
                        if !self.eat(b',') {
                            return Err(self.fail("expected , or ]"));
                        }
                    }
                }
                self.depth -= 1;
                Ok(Json::Array(items))
            }
            Some(b'{') => {
                self.nest()?;
                let mut fields = Vec::new();
                if !self.eat(b'}') {
                    loop {
                        self.skip_space();
                        if self.peek() != Some(b'"') {
                            return Err(self.fail("expected a key"));
                        }
                        let key = self.string()?;
                        if !self.eat(b':') {
                            return Err(self.fail("expected :"));
                        }
                        fields.push((key, self.value()?));
                        if self.eat(b'}') {
                            break;
                        }
                        if !self.eat(b',') {
                            return Err(self.fail("expected , or }"));
                        }
                    }
                }
                self.depth -= 1;
                Ok(Json::Object(fields))
            }
            Some(_) => Err(self.fail("expected a value")),
            None => Err(self.fail("unexpected end")),
        }
    }

    fn nest(&mut self) -> Result<(), JsonError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.fail("nested too deep"));
        }
        self.at += 1;
        Ok(())
    }

    fn word(&mut self, word: &str, value: Json) -> Result<Json, JsonError> {
        if self.text[self.at..].starts_with(word) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.fail("expected a value"))
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Result<Json, JsonError> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        let first = self.peek();
        let whole = self.digits();
        if whole == 0 || (first == Some(b'0') && whole > 1) {
            return Err(self.fail("invalid number"));
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return Err(self.fail("invalid number"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            if self.digits() == 0 {
                return Err(self.fail("invalid number"));
            }
        }
        Ok(Json::Num(self.text[start..self.at].into()))
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let digits = self.text.get(self.at..self.at + 4).ok_or_else(|| self.fail("invalid escape"))?;
        let value = u32::from_str_radix(digits, 16).map_err(|_| self.fail("invalid escape"))?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(self.fail("invalid escape"));
        }
        self.at += 4;
        Ok(value)
    }

    /// A string starting at its opening quote. Runs are copied whole: they end only at ASCII
    /// bytes, which are always character boundaries.
    fn string(&mut self) -> Result<String, JsonError> {
        self.at += 1;
        let mut out = String::new();
        let mut run = self.at;
        loop {
            match self.peek() {
                None => return Err(self.fail("unterminated string")),
                Some(b'"') => {
                    out.push_str(&self.text[run..self.at]);
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    out.push_str(&self.text[run..self.at]);
                    self.at += 1;
                    let escaped = self.peek().ok_or_else(|| self.fail("unterminated string"))?;
                    self.at += 1;
                    let c = match escaped {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let first = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&first) {
                                if !self.text[self.at..].starts_with("\\u") {
                                    return Err(self.fail("lone surrogate"));
                                }
                                self.at += 2;
                                let second = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&second) {
                                    return Err(self.fail("lone surrogate"));
                                }
                                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                            } else {
                                first
                            };
                            char::from_u32(code).ok_or_else(|| self.fail("lone surrogate"))?
                        }
                        _ => return Err(self.fail("invalid escape")),
                    };
                    out.push(c);
                    run = self.at;
                }
                Some(0..=0x1f) => return Err(self.fail("control character in string")),
                Some(_) => self.at += 1,
            }
        }
    }
}

static NULL: Json = Json::Null;

impl Json {
    /// An object from its fields, in order.
    pub fn object(fields: Vec<(&str, Json)>) -> Json {
        Json::Object(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    }

    /// The field `key` of an object (the first, if the API repeated it).
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(fields) => fields.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// An integer (written without fraction or exponent) that fits an `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Json::Num(text) if !text.contains(['.', 'e', 'E']) => text.parse().ok(),
            _ => None,
        }
    }

    pub fn as_u64(&self) -> Option<u64> {
        self.as_i64().and_then(|n| u64::try_from(n).ok())
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Json::Num(text) => parse_number(text),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&Vec<Json>> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Vec<(String, Json)>> {
        match self {
            Json::Object(fields) => Some(fields),
            _ => None,
        }
    }

    /// This value as a record whose fields a decoder reads.
    pub fn record(&self) -> Result<Record<'_>, JsonError> {
        match self {
            Json::Object(fields) => Ok(Record(fields)),
            _ => Err(JsonError::new("expected an object")),
        }
    }

    /// The compact JSON text of this value.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    /// The JSON text of this value laid out for reading: two spaces per level.
    pub fn to_pretty_text(&self) -> String {
        let mut out = String::new();
        self.write_pretty(&mut out, 0);
        out
    }

    fn write_pretty(&self, out: &mut String, depth: usize) {
        let newline = |out: &mut String, depth: usize| {
            out.push('\n');
            for _ in 0..depth {
                out.push_str("  ");
            }
        };
        match self {
            Json::Array(items) if !items.is_empty() => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    out.push_str(if i > 0 { "," } else { "" });
                    newline(out, depth + 1);
                    item.write_pretty(out, depth + 1);
                }
                newline(out, depth);
                out.push(']');
            }
            Json::Object(fields) if !fields.is_empty() => {
                out.push('{');
                for (i, (key, value)) in fields.iter().enumerate() {
                    out.push_str(if i > 0 { "," } else { "" });
                    newline(out, depth + 1);
                    write_str(key, out);
                    out.push_str(": ");
                    value.write_pretty(out, depth + 1);
                }
                newline(out, depth);
                out.push('}');
            }
            other => other.write(out),
        }
    }

    fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Num(text) => out.push_str(text),
            Json::Str(s) => write_str(s, out),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Object(fields) => {
                out.push('{');
                for (i, (key, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_str(key, out);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }
}

fn write_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 15] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `value["key"]`: the field, or null when there is none (as for a missing field).
impl std::ops::Index<&str> for Json {
    type Output = Json;
    fn index(&self, key: &str) -> &Json {
        self.get(key).unwrap_or(&NULL)
    }
}

impl From<&str> for Json {
    fn from(s: &str) -> Json {
        Json::Str(s.to_owned())
    }
}

impl From<String> for Json {
    fn from(s: String) -> Json {
        Json::Str(s)
    }
}

impl From<bool> for Json {
    fn from(b: bool) -> Json {
        Json::Bool(b)
    }
}

impl From<i64> for Json {
    fn from(n: i64) -> Json {
        Json::Num(n.to_string().into())
    }
}

impl From<u32> for Json {
    fn from(n: u32) -> Json {
        Json::from(n as i64)
    }
}

impl From<u8> for Json {
    fn from(n: u8) -> Json {
        Json::from(n as i64)
    }
}

impl<T: Into<Json>> From<Vec<T>> for Json {
    fn from(items: Vec<T>) -> Json {
        Json::Array(items.into_iter().map(Into::into).collect())
    }
}

impl<T: Into<Json>> From<Option<T>> for Json {
    fn from(v: Option<T>) -> Json {
        v.map_or(Json::Null, Into::into)
    }
}

/// A JSON object's fields, as a decoder reads them. Unknown fields are ignored (the API may add
/// fields); a missing field is an error unless its type says otherwise (`Option`) or the
/// decoder asks for a default.
#[derive(Clone, Copy)]
pub struct Record<'a>(&'a [(String, Json)]);

impl<'a> Record<'a> {
    pub fn get(&self, key: &str) -> Option<&'a Json> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The field `key` as a `T`.
    pub fn field<T: FromJson>(&self, key: &str) -> Result<T, JsonError> {
        match self.get(key) {
            Some(v) => T::from_json(v),
            None => T::absent(),
        }
        .map_err(|e| e.at(key))
    }

    /// The field `key` as a `T`, or `T::default()` when the API left it out.
    pub fn field_or_default<T: FromJson + Default>(&self, key: &str) -> Result<T, JsonError> {
        match self.get(key) {
            Some(v) => T::from_json(v).map_err(|e| e.at(key)),
            None => Ok(T::default()),
        }
    }
}

/// A type read from JSON.
pub trait FromJson: Sized {
    fn from_json(value: &Json) -> Result<Self, JsonError>;

    /// What a missing field of this type reads as: an error, except for `Option` (`None`).
    fn absent() -> Result<Self, JsonError> {
        Err(JsonError::new("missing"))
    }
}

/// A type written as JSON.
pub trait ToJson {
    fn to_json(&self) -> Json;
}

fn expected(what: &str) -> JsonError {
    JsonError(format!("expected {what}"))
}

impl FromJson for Json {
    fn from_json(value: &Json) -> Result<Json, JsonError> {
        Ok(value.clone())
    }
}

impl ToJson for Json {
    fn to_json(&self) -> Json {
        self.clone()
    }
}

/// For requests without a body (`api.send::<T, ()>(…, None, …)`).
impl ToJson for () {
    fn to_json(&self) -> Json {
        Json::Null
    }
}

impl FromJson for String {
    fn from_json(value: &Json) -> Result<String, JsonError> {
        value.as_str().map(str::to_owned).ok_or_else(|| expected("a string"))
    }
}

impl ToJson for String {
    fn to_json(&self) -> Json {
        Json::Str(self.clone())
    }
}

impl ToJson for str {
    fn to_json(&self) -> Json {
        Json::from(self)
    }
}

impl FromJson for bool {
    fn from_json(value: &Json) -> Result<bool, JsonError> {
        value.as_bool().ok_or_else(|| expected("true or false"))
    }
}

impl ToJson for bool {
    fn to_json(&self) -> Json {
        Json::Bool(*self)
    }
}

impl FromJson for i64 {
    fn from_json(value: &Json) -> Result<i64, JsonError> {
        value.as_i64().ok_or_else(|| expected("an integer"))
    }
}

impl ToJson for i64 {
    fn to_json(&self) -> Json {
        Json::from(*self)
    }
}

/// Narrower integers: an integer out of the type's range is an error, not a wrapped value.
macro_rules! narrow_integer {
    ($($t:ty),*) => {$(
        impl FromJson for $t {
            fn from_json(value: &Json) -> Result<$t, JsonError> {
                value.as_i64().and_then(|n| <$t>::try_from(n).ok()).ok_or_else(|| expected(concat!("an integer (", stringify!($t), ")")))
            }
        }
        impl ToJson for $t {
            fn to_json(&self) -> Json {
                Json::from(*self as i64)
            }
        }
    )*};
}
narrow_integer!(u8, u16, u32, u64, i32, usize);

/// A decimal number's value (`36.5`, `-2`, `.5`, `1e3`), if the text is one and it is finite.
/// In the browser the text is read by JavaScript's `parseFloat` (correctly rounded, as Rust's
/// parser is): Rust's brings ~10 kB of tables and code to every page that reads a fraction (the
/// menu's location, the handbook's measurements).
pub fn parse_number(text: &str) -> Option<f64> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
        None => (unsigned, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mantissa_ok = (digits(whole) || whole.is_empty()) && (digits(fraction) || fraction.is_empty()) && !(whole.is_empty() && fraction.is_empty());
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)));
    if !(mantissa_ok && exponent_ok) {
        return None;
    }
    #[cfg(target_arch = "wasm32")]
    let value = js_sys::parse_float(text);
    #[cfg(not(target_arch = "wasm32"))]
    let value: f64 = text.parse().ok()?;
    value.is_finite().then_some(value)
}

/// A finite float's shortest text that reads back as the same number (`36.5`). In the browser,
/// JavaScript's (for the same reason as `parse_number`).
pub fn number_text(value: f64) -> String {
    // Radix 10 is always accepted. No fallback to Rust's formatting: its code and tables would
    // come back with it.
    #[cfg(target_arch = "wasm32")]
    return js_sys::Number::from(value).to_string_with_radix(10).map(String::from).unwrap_or_default();
    #[cfg(not(target_arch = "wasm32"))]
    return value.to_string();
}

impl FromJson for f64 {
    fn from_json(value: &Json) -> Result<f64, JsonError> {
        value.as_f64().ok_or_else(|| expected("a number"))
    }
}

impl ToJson for f64 {
    /// A float's shortest text (`36.5`); NaN and infinities, which JSON cannot write, as null.
    fn to_json(&self) -> Json {
        if self.is_finite() {
            Json::Num(number_text(*self).into())
        } else {
            Json::Null
        }
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: &Json) -> Result<Option<T>, JsonError> {
        match value {
            Json::Null => Ok(None),
            v => T::from_json(v).map(Some),
        }
    }

    fn absent() -> Result<Option<T>, JsonError> {
        Ok(None)
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self) -> Json {
        self.as_ref().map_or(Json::Null, T::to_json)
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Json) -> Result<Vec<T>, JsonError> {
        let items = value.as_array().ok_or_else(|| expected("an array"))?;
        items.iter().enumerate().map(|(i, v)| T::from_json(v).map_err(|e| e.at(&i.to_string()))).collect()
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Json {
        Json::Array(self.iter().map(T::to_json).collect())
    }
}

impl<T: ToJson> ToJson for [T] {
    fn to_json(&self) -> Json {
        Json::Array(self.iter().map(T::to_json).collect())
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn to_json(&self) -> Json {
        (**self).to_json()
    }
}

/// A map from key–value pairs, the last of a repeated key winning (as `collect` does).
///
/// Why not `collect()`: collecting into a `BTreeMap` sorts the pairs first, and that stable sort
/// is compiled again for every iterator type collected (3.7 kB each); inserting shares one
/// `insert` per value type. The maps here are a section's few fields.
pub fn map_of<V>(pairs: impl IntoIterator<Item = (String, V)>) -> std::collections::BTreeMap<String, V> {
    let mut map = std::collections::BTreeMap::new();
    for (key, value) in pairs {
        map.insert(key, value);
    }
    map
}

impl<T: FromJson> FromJson for std::collections::BTreeMap<String, T> {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let fields = value.as_object().ok_or_else(|| expected("an object"))?;
        let mut map = std::collections::BTreeMap::new();
        for (k, v) in fields {
            map.insert(k.clone(), T::from_json(v).map_err(|e| e.at(k))?);
        }
        Ok(map)
    }
}

impl<T: ToJson> ToJson for std::collections::BTreeMap<String, T> {
    fn to_json(&self) -> Json {
        Json::Object(self.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
    }
}

/// A tuple as an array (a draft of several texts).
impl<A: FromJson, B: FromJson, C: FromJson, D: FromJson> FromJson for (A, B, C, D) {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        match value.as_array().map(Vec::as_slice) {
            Some([a, b, c, d]) => Ok((A::from_json(a)?, B::from_json(b)?, C::from_json(c)?, D::from_json(d)?)),
            _ => Err(expected("an array of 4")),
        }
    }
}

impl<A: ToJson, B: ToJson, C: ToJson, D: ToJson> ToJson for (A, B, C, D) {
    fn to_json(&self) -> Json {
        Json::Array(vec![self.0.to_json(), self.1.to_json(), self.2.to_json(), self.3.to_json()])
    }
}

/// `FromJson` (`read`) and/or `ToJson` (`write`) for a plain record: each listed field under its
/// own name; `field: default` reads a missing field as its type's default. Anything less plain
/// (renamed, tagged, lenient) is written by hand with `Record`.
///
/// ```ignore
/// json_record!(read write CartStore { store_id, name, channel, lines });
/// json_record!(read Preview { stores, total_fen, notes: default });
/// ```
#[macro_export]
macro_rules! json_record {
    (read write $ty:ident { $($field:ident $(: $how:ident)?),* $(,)? }) => {
        $crate::json_record!(read $ty { $($field $(: $how)?),* });
        $crate::json_record!(write $ty { $($field),* });
    };
    (read $ty:ident { $($field:ident $(: $how:ident)?),* $(,)? }) => {
        impl $crate::json::FromJson for $ty {
            fn from_json(v: &$crate::json::Json) -> Result<Self, $crate::json::JsonError> {
                let r = v.record()?;
                Ok($ty { $($field: $crate::json_record!(@field r, $field $(, $how)?)),* })
            }
        }
    };
    (write $ty:ident<$lt:lifetime> { $($field:ident),* $(,)? }) => {
        impl<$lt> $crate::json::ToJson for $ty<$lt> {
            fn to_json(&self) -> $crate::json::Json {
                $crate::json::Json::object(vec![$((stringify!($field), $crate::json::ToJson::to_json(&self.$field))),*])
            }
        }
    };
    (write $ty:ident { $($field:ident $(: $how:ident)?),* $(,)? }) => {
        impl $crate::json::ToJson for $ty {
            fn to_json(&self) -> $crate::json::Json {
                $crate::json::Json::object(vec![$((stringify!($field), $crate::json::ToJson::to_json(&self.$field))),*])
            }
        }
    };
    (@field $r:ident, $field:ident) => { $r.field(stringify!($field))? };
    (@field $r:ident, $field:ident, default) => { $r.field_or_default(stringify!($field))? };
}

/// For a string-valued enum's decoder: the variant whose name `value` is.
pub fn one_of<T: Copy>(value: &Json, names: &[(&str, T)]) -> Result<T, JsonError> {
    let s = value.as_str().ok_or_else(|| expected("a string"))?;
    names.iter().find(|(name, _)| *name == s).map(|(_, v)| *v).ok_or_else(|| {
        // Quoted as JSON, not with `{:?}`: str's Debug links core's Unicode tables (~1.5 kB).
        let mut message = String::from("unknown variant ");
        write_str(s, &mut message);
        JsonError(message)
    })
}

/// For a string-valued enum's encoder: the name of `variant`.
pub fn name_of<T: PartialEq>(variant: &T, names: &[(&str, T)]) -> Json {
    names.iter().find(|(_, v)| v == variant).map_or(Json::Null, |(name, _)| Json::from(*name))
}

/// A string-valued enum's wire names, read and written from one table:
/// `json_enum!(Role { Follower = "follower", Parent = "parent" });`. An unknown name is an
/// error, unless the enum has a variant for names it does not know yet:
/// `json_enum!(WeekStatus { … } unknown => Other);`.
#[macro_export]
macro_rules! json_enum {
    ($ty:ident { $($variant:ident = $name:literal),+ $(,)? } $(unknown => $other:ident)?) => {
        impl $ty {
            const JSON_NAMES: &'static [(&'static str, $ty)] = &[$(($name, $ty::$variant)),+];
        }

        impl $crate::json::FromJson for $ty {
            fn from_json(v: &$crate::json::Json) -> Result<Self, $crate::json::JsonError> {
                let found = $crate::json::one_of(v, Self::JSON_NAMES);
                $(if v.as_str().is_some() {
                    return Ok(found.unwrap_or($ty::$other));
                })?
                found
            }
        }

        impl $crate::json::ToJson for $ty {
            fn to_json(&self) -> $crate::json::Json {
                $crate::json::name_of(self, Self::JSON_NAMES)
            }
        }
    };
}

/// Tests write their JSON as `json!({...})` (serde_json's macro, a test-only dependency) and get
/// a `Json`.
#[cfg(all(test, not(target_arch = "wasm32")))]
#[macro_export]
macro_rules! json {
    ($($body:tt)+) => {
        $crate::json::parse(&serde_json::json!($($body)+).to_string()).expect("test JSON")
    };
}

/// So a test's `json!` can take a `Json` in it.
#[cfg(all(test, not(target_arch = "wasm32")))]
impl serde::Serialize for Json {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serde_json::from_str::<serde_json::Value>(&self.to_text()).expect("Json writes JSON").serialize(s)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn decimal_numbers_are_read_and_written_back_the_same() {
        for (text, value) in [("36.5", 36.5), ("-2", -2.0), (".5", 0.5), ("5.", 5.0), ("+1e3", 1000.0), ("2.5E-3", 0.0025)] {
            assert_eq!(parse_number(text), Some(value), "{text}");
        }
        for text in ["", "-", ".", "1e", "e3", "1.2.3", "12abc", "0x10", "inf", "NaN", "1e999", " 1", "1,5"] {
            assert_eq!(parse_number(text), None, "{text:?}");
        }
        assert_eq!(number_text(36.5), "36.5");
    }

    proptest! {
        #[test]
        fn every_finite_number_survives_its_text(f in any::<f64>().prop_filter("finite", |f| f.is_finite())) {
            prop_assert_eq!(parse_number(&number_text(f)), Some(f));
        }
    }

    #[test]
    fn reads_every_kind_of_value() {
        let v = parse(r#" {"a": [1, -2.5e3, true, false, null], "b": "x\"\\\/\n\u00e9\ud83d\ude00", "c": {}} "#).unwrap();
        assert_eq!(v["a"].as_array().unwrap().len(), 5);
        assert_eq!(v["a"].as_array().unwrap()[0].as_i64(), Some(1));
        assert_eq!(v["a"].as_array().unwrap()[1].as_f64(), Some(-2500.0));
        assert_eq!(v["a"].as_array().unwrap()[1].as_i64(), None, "a float is not an integer");
        assert_eq!(v["b"].as_str(), Some("x\"\\/\né😀"));
        assert_eq!(v["c"], Json::Object(vec![]));
        assert!(v["missing"].is_null());
    }

    #[test]
    fn refuses_what_is_not_json() {
        for text in [
            "", " ", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "-", "1e", "+1", "nul", "tru", "\"a", "\"\\x\"", "\"\\ud800\"",
            "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"\u{1}\"", "[1 2]", "{\"a\" 1}", "{a:1}", "1 2", "[", "]", "\"\\u12\"", "\"\\u+123\"", "\"\\é\"", "\"\\\u{1F600}\"",
        ] {
            assert!(parse(text).is_err(), "{text:?} should be refused");
        }
        assert!(parse(&"[".repeat(200)).is_err(), "too deep");
        assert_eq!(parse("{\n  \"a\": 1,\n  \"b\" 2\n}"), Err(JsonError("expected : at line 3, column 7".into())));
        assert!(parse(&format!("{}{}", "[".repeat(100), "]".repeat(100))).is_ok());
    }

    #[test]
    fn integers_are_exact_and_range_checked() {
        assert_eq!(from_str::<i64>("9007199254740993"), Ok(9007199254740993));
        assert!(from_str::<i64>("9223372036854775808").is_err());
        assert!(from_str::<u32>("-1").is_err());
        assert!(from_str::<u8>("256").is_err());
        assert_eq!(from_str::<u8>("255"), Ok(255));
        assert!(from_str::<i64>("1.0").is_err());
        assert!(from_str::<i64>("\"1\"").is_err());
        assert_eq!(from_str::<f64>("1"), Ok(1.0));
        assert!(from_str::<f64>("1e999").is_err(), "infinity is not a number the app can use");
    }

    #[test]
    fn fields_missing_null_and_wrong() {
        let v = parse(r#"{"n": 3, "s": null, "list": [1, "x"]}"#).unwrap();
        let r = v.record().unwrap();
        assert_eq!(r.field::<i64>("n"), Ok(3));
        assert_eq!(r.field::<Option<i64>>("s"), Ok(None));
        assert_eq!(r.field::<Option<i64>>("gone"), Ok(None));
        assert_eq!(r.field::<i64>("gone"), Err(JsonError("gone.missing".into())));
        assert_eq!(r.field_or_default::<Vec<i64>>("gone"), Ok(vec![]));
        assert_eq!(r.field::<Vec<i64>>("list"), Err(JsonError("list.1.expected an integer".into())));
        assert!(Json::Num("1".into()).record().is_err());
    }

    #[test]
    fn writes_compact_text_that_reads_back() {
        let v = Json::object(vec![
            ("text", Json::from("引号\" 反斜杠\\ 换行\n \u{1} 😀")),
            ("n", Json::from(-42i64)),
            ("f", 36.5f64.to_json()),
            ("nan", f64::NAN.to_json()),
            ("list", Json::from(vec![Json::Null, Json::from(true)])),
            ("none", Json::from(None::<String>)),
        ]);
        let text = v.to_text();
        assert_eq!(text, r#"{"text":"引号\" 反斜杠\\ 换行\n \u0001 😀","n":-42,"f":36.5,"nan":null,"list":[null,true],"none":null}"#);
        assert_eq!(parse(&text), Ok(v.clone()));
        let pretty = v.to_pretty_text();
        assert!(pretty.starts_with("{\n  \"text\": "), "{pretty}");
        assert!(pretty.contains("\"list\": [\n    null,\n    true\n  ]"), "{pretty}");
        assert_eq!(parse(&pretty), Ok(v));
        assert_eq!(Json::Array(vec![]).to_pretty_text(), "[]");
    }

    #[test]
    fn records_by_macro() {
        #[derive(Debug, PartialEq)]
        struct Line {
            id: String,
            quantity: i64,
            notes: Vec<String>,
            gift: Option<bool>,
        }
        json_record!(read write Line { id, quantity, notes: default, gift });
        let line: Line = from_str(r#"{"id": "l1", "quantity": 2, "extra": 1}"#).unwrap();
        assert_eq!(line, Line { id: "l1".into(), quantity: 2, notes: vec![], gift: None });
        assert_eq!(to_string(&line), r#"{"id":"l1","quantity":2,"notes":[],"gift":null}"#);
        assert_eq!(from_str::<Line>(&to_string(&line)), Ok(line));
        assert_eq!(from_str::<Line>(r#"{"id": "l1"}"#), Err(JsonError("quantity.missing".into())));
    }

    #[test]
    fn string_enums_by_name() {
        #[derive(Clone, Copy, Debug, PartialEq)]
        enum Kind {
            A,
            B,
        }
        const NAMES: &[(&str, Kind)] = &[("a", Kind::A), ("b_b", Kind::B)];
        assert_eq!(one_of(&Json::from("b_b"), NAMES), Ok(Kind::B));
        assert!(one_of(&Json::from("c"), NAMES).is_err());
        assert!(one_of(&Json::Null, NAMES).is_err());
        assert_eq!(name_of(&Kind::A, NAMES), Json::from("a"));
    }

    #[test]
    fn json_enum_reads_and_writes_one_table_and_may_take_unknown_names() {
        #[derive(Clone, Copy, Debug, PartialEq)]
        enum Strict {
            On,
            OffForNow,
        }
        crate::json_enum!(Strict { On = "on", OffForNow = "off_for_now" });
        #[derive(Clone, Copy, Debug, PartialEq)]
        enum Lenient {
            Known,
            Other,
        }
        crate::json_enum!(Lenient { Known = "known", Other = "other" } unknown => Other);
        for v in [Strict::On, Strict::OffForNow] {
            assert_eq!(Strict::from_json(&v.to_json()), Ok(v));
        }
        assert_eq!(Strict::OffForNow.to_json(), Json::from("off_for_now"));
        assert!(Strict::from_json(&Json::from("later")).is_err(), "an unknown name is an error");
        assert_eq!(Lenient::from_json(&Json::from("known")), Ok(Lenient::Known));
        assert_eq!(Lenient::from_json(&Json::from("archived")), Ok(Lenient::Other), "a newer name is Other");
        assert!(Lenient::from_json(&Json::Null).is_err(), "but a value that is not a name is still an error");
    }

    /// Any JSON value serde_json can write.
    fn any_value() -> impl Strategy<Value = serde_json::Value> {
        use serde_json::Value;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
            any::<String>().prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 64, 8, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
                proptest::collection::btree_map(any::<String>(), inner, 0..6).prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        /// serde_json is the oracle: what it writes, this reads, and what this writes, it reads
        /// back as the same value.
        #[test]
        fn agrees_with_serde_json(value in any_value()) {
            let text = serde_json::to_string(&value).unwrap();
            let ours = parse(&text).unwrap();
            let again: serde_json::Value = serde_json::from_str(&ours.to_text()).unwrap();
            // Compared with serde_json's own reading of its text: it reads floats a last digit off.
            let theirs: serde_json::Value = serde_json::from_str(&text).unwrap();
            prop_assert_eq!(again, theirs);
        }

        /// Arbitrary text never panics, and this accepts exactly what serde_json accepts (numbers
        /// kept small: serde_json also refuses exponents it cannot hold in a float).
        #[test]
        fn accepts_what_serde_json_accepts(text in r#"[\[\]{}",:0-9a-z\\ .+-]{0,40}|.{0,40}"#) {
            let ours = parse(&text);
            let theirs = serde_json::from_str::<serde_json::Value>(&text);
            if !text.contains(['e', 'E']) {
                prop_assert_eq!(ours.is_ok(), theirs.is_ok(), "{:?}: {:?} vs {:?}", text, ours, theirs);
            }
        }

        #[test]
        fn strings_round_trip(s in any::<String>()) {
            prop_assert_eq!(from_str::<String>(&Json::from(s.as_str()).to_text()), Ok(s));
        }
    }
}
