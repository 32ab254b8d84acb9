//! Test support: the contract, a validator for the JSON Schema subset it uses, and a client
//! that drives the stand-in in-process and checks every answer against the contract.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use standin::{app, Shared, World};
use std::sync::OnceLock;
use tower::ServiceExt;

pub fn contract() -> &'static Value {
    static CONTRACT: OnceLock<Value> = OnceLock::new();
    CONTRACT.get_or_init(|| {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../api/openapi.yaml"))
            .expect("api/openapi.yaml is readable");
        serde_yaml::from_str(&text).expect("api/openapi.yaml is YAML")
    })
}

/// Follows a local `$ref` (`#/components/...`).
pub fn resolve<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    let pointer = reference.strip_prefix('#')?;
    doc.pointer(pointer)
}

/// Problems of `value` against `schema` (the subset of JSON Schema 2020-12 the contract uses).
pub fn validate(doc: &Value, schema: &Value, value: &Value, at: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        return match resolve(doc, r) {
            Some(target) => validate(doc, target, value, at),
            None => vec![format!("{at}: unresolved $ref {r}")],
        };
    }
    if let Some(options) = schema.get("oneOf").and_then(Value::as_array) {
        let matching = options.iter().filter(|o| validate(doc, o, value, at).is_empty()).count();
        if matching != 1 {
            problems.push(format!("{at}: matches {matching} of oneOf, not exactly one: {value}"));
        }
        return problems;
    }
    if let Some(c) = schema.get("const") {
        if c != value {
            problems.push(format!("{at}: expected const {c}, got {value}"));
        }
    }
    if let Some(types) = schema.get("type") {
        let allowed: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let actual = match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        let ok = allowed.contains(&actual) || (actual == "integer" && allowed.contains(&"number"));
        if !ok {
            problems.push(format!("{at}: expected {allowed:?}, got {actual} ({value})"));
            return problems;
        }
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array) {
        if !e.contains(value) {
            problems.push(format!("{at}: {value} not in enum {e:?}"));
        }
    }
    if let (Some(min), Some(n)) = (schema.get("minimum").and_then(Value::as_f64), value.as_f64()) {
        if n < min {
            problems.push(format!("{at}: {n} < minimum {min}"));
        }
    }
    if let (Some(pattern), Some(s)) = (schema.get("pattern").and_then(Value::as_str), value.as_str()) {
        if !simple_pattern(pattern, s) {
            problems.push(format!("{at}: {s:?} does not match {pattern}"));
        }
    }
    if let Some(obj) = value.as_object() {
        for req in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
            if let Some(name) = req.as_str() {
                if !obj.contains_key(name) {
                    problems.push(format!("{at}: missing required {name}"));
                }
            }
        }
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (name, sub) in props {
                if let Some(v) = obj.get(name) {
                    problems.extend(validate(doc, sub, v, &format!("{at}.{name}")));
                }
            }
        }
        if let Some(extra) = schema.get("additionalProperties").filter(|v| v.is_object()) {
            let props = schema.get("properties").and_then(Value::as_object);
            for (name, v) in obj {
                if props.is_none_or(|p| !p.contains_key(name)) {
                    problems.extend(validate(doc, extra, v, &format!("{at}.{name}")));
                }
            }
        }
    }
    if let Some(items) = value.as_array() {
        if let Some(max) = schema.get("maxItems").and_then(Value::as_u64) {
            if items.len() as u64 > max {
                problems.push(format!("{at}: {} items > maxItems {max}", items.len()));
            }
        }
        if let Some(min) = schema.get("minItems").and_then(Value::as_u64) {
            if (items.len() as u64) < min {
                problems.push(format!("{at}: {} items < minItems {min}", items.len()));
            }
        }
        if let Some(item_schema) = schema.get("items") {
            for (i, v) in items.iter().enumerate() {
                problems.extend(validate(doc, item_schema, v, &format!("{at}[{i}]")));
            }
        }
    }
    problems
}

/// The contract's patterns are anchored character-class runs; check the ones it uses.
fn simple_pattern(pattern: &str, s: &str) -> bool {
    match pattern {
        "^[0-9]{4}-W[0-9]{2}$" => s.len() == 8 && s.as_bytes()[4] == b'-' && s.as_bytes()[5] == b'W',
        "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" => s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-',
        "^[A-Za-z0-9_-]{8,64}$" => (8..=64).contains(&s.len()),
        _ => true,
    }
}

/// The contract's path template matching a concrete path.
pub fn template_of(method: &str, path: &str) -> Option<(String, &'static Value)> {
    let doc = contract();
    let segments: Vec<&str> = path.split('/').collect();
    for (template, item) in doc["paths"].as_object()? {
        let t: Vec<&str> = template.split('/').collect();
        let same = t.len() == segments.len()
            && t.iter().zip(&segments).all(|(a, b)| (a.starts_with('{') && a.ends_with('}')) || a == b);
        if same {
            if let Some(op) = item.get(method.to_lowercase()) {
                return Some((template.clone(), op));
            }
        }
    }
    None
}

/// The schema the contract promises for an answer, following response `$ref`s.
pub fn response_schema(op: &Value, status: u16) -> Option<Value> {
    let doc = contract();
    let responses = op.get("responses")?;
    let mut response = responses.get(status.to_string()).or_else(|| responses.get("default"))?;
    if let Some(r) = response.get("$ref").and_then(Value::as_str) {
        response = resolve(doc, r)?;
    }
    response.pointer("/content/application~1json/schema").cloned()
}

pub struct Client {
    pub app: axum::Router,
    pub shared: Shared,
    pub token: Option<String>,
}

pub struct Answer {
    pub status: StatusCode,
    pub body: Value,
    pub headers: axum::http::HeaderMap,
}

impl Answer {
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }
}

impl Client {
    pub fn new() -> Client {
        let shared = Shared::new(World::seeded(standin::http::now_ms()));
        Client { app: app(shared.clone(), None), shared, token: None }
    }

    /// Another signed-in person on the same server.
    pub fn as_user(&self, user_id: &str) -> Client {
        let mut other = Client { app: self.app.clone(), shared: self.shared.clone(), token: None };
        other.sign_in(user_id);
        other
    }

    pub fn sign_in(&mut self, user_id: &str) {
        let code = tokio_block(self.raw("POST", "/__standin/oauth/code", Some(json!({"user_id": user_id})), &[]));
        assert_eq!(code.status, StatusCode::OK, "minting a code: {}", code.body);
        let code = code.body["code"].as_str().expect("code").to_owned();
        let session = tokio_block(self.call("POST", "/session/oauth", Some(json!({"code": code, "state": "t"})), &[]));
        assert_eq!(session.status, StatusCode::OK, "{}", session.body);
        self.token = Some(session.body["token"].as_str().expect("token").to_owned());
    }

    /// A raw request to the server (no contract check).
    pub async fn raw(&self, method: &str, path: &str, body: Option<Value>, headers: &[(&str, &str)]) -> Answer {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = &self.token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let req = match body {
            Some(b) => req.header("content-type", "application/json").body(Body::from(b.to_string())),
            None => req.body(Body::empty()),
        }
        .expect("request");
        let response = self.app.clone().oneshot(req).await.expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.expect("body").to_bytes();
        let body = if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into())) };
        Answer { status, body, headers }
    }

    /// A request to `/api/v1{path}` whose answer must be what the contract promises.
    pub async fn call(&self, method: &str, path: &str, body: Option<Value>, headers: &[(&str, &str)]) -> Answer {
        let answer = self.raw(method, &format!("/api/v1{path}"), body, headers).await;
        let bare = path.split('?').next().unwrap_or(path);
        let (template, op) = template_of(method, bare).unwrap_or_else(|| panic!("{method} {bare} is not in the contract"));
        let status = answer.status.as_u16();
        let responses = &op["responses"];
        assert!(
            responses.get(status.to_string()).is_some() || (status >= 400 && responses.get("default").is_some()),
            "{method} {template} answered {status}, which the contract does not list: {}",
            answer.body
        );
        if let Some(schema) = response_schema(op, status) {
            let problems = validate(contract(), &schema, &answer.body, "$");
            assert!(problems.is_empty(), "{method} {template} {status} breaks the contract:\n{}\nbody: {}", problems.join("\n"), answer.body);
        } else {
            assert!(answer.body.is_null(), "{method} {template} {status} should have no body: {}", answer.body);
        }
        answer
    }

    pub async fn get(&self, path: &str) -> Answer {
        self.call("GET", path, None, &[]).await
    }
    pub async fn post(&self, path: &str, body: Value) -> Answer {
        self.call("POST", path, Some(body), &[]).await
    }
}

/// Runs a future to completion from a sync helper inside a test's runtime.
pub fn tokio_block<F: std::future::Future>(f: F) -> F::Output {
    tokio::task::block_in_place(|| tokio::runtime::Handle::current().block_on(f))
}
