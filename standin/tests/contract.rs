//! The contract is well formed, and the stand-in serves exactly its routes.

mod support;

use serde_json::{json, Value};
use std::collections::{BTreeSet, HashSet};
use support::{contract, resolve, Client};

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

fn collect_refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                out.push(r.clone());
            }
            map.values().for_each(|x| collect_refs(x, out));
        }
        Value::Array(items) => items.iter().for_each(|x| collect_refs(x, out)),
        _ => {}
    }
}

#[test]
fn contract_is_well_formed_openapi() {
    let doc = contract();
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.1")), "OpenAPI 3.1");
    assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());
    let mut refs = Vec::new();
    collect_refs(doc, &mut refs);
    assert!(refs.len() > 100, "the contract reuses its schemas");
    for r in &refs {
        assert!(resolve(doc, r).is_some(), "unresolved $ref {r}");
    }
    let mut operation_ids = HashSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        assert!(path.starts_with('/'), "{path}");
        let params: BTreeSet<&str> = path.split('/').filter_map(|s| s.strip_prefix('{')?.strip_suffix('}')).collect();
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let id = op["operationId"].as_str().unwrap_or_else(|| panic!("{method} {path} has no operationId"));
            assert!(operation_ids.insert(id.to_owned()), "duplicate operationId {id}");
            let responses = op["responses"].as_object().unwrap_or_else(|| panic!("{id} has no responses"));
            assert!(responses.keys().any(|k| k.starts_with('2')), "{id} has no success response");
            assert!(responses.contains_key("default"), "{id} must describe its errors");
            // Every path parameter is declared, and every declared path parameter is in the path.
            let declared: BTreeSet<&str> = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| match p.get("$ref").and_then(Value::as_str) {
                    Some(r) => resolve(doc, r).expect("parameter ref"),
                    None => p,
                })
                .filter(|p| p["in"] == "path")
                .filter_map(|p| p["name"].as_str())
                .collect();
            assert_eq!(declared, params, "{id}: path parameters");
            // Purchases and posts carry an idempotency key.
            if ["placeOrder", "grabSeckillItem", "commentOnMoment", "postHandbookComment"].contains(&id) {
                let text = op["parameters"].to_string();
                assert!(text.contains("IdempotencyKey"), "{id} must take an Idempotency-Key");
            }
        }
    }
    // The error body every failure shares.
    let error = &doc["components"]["schemas"]["Error"];
    assert_eq!(error["required"], json!(["code", "message"]));
}

fn contract_routes() -> BTreeSet<(String, String)> {
    let mut routes = BTreeSet::new();
    for (path, item) in contract()["paths"].as_object().expect("paths") {
        for method in METHODS {
            if item.get(method).is_some() {
                routes.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    routes
}

#[test]
fn stand_in_serves_exactly_the_contracts_routes() {
    let served: BTreeSet<(String, String)> =
        standin::api_routes().into_iter().map(|(m, p)| (m.to_owned(), p.to_owned())).collect();
    let promised = contract_routes();
    let missing: Vec<_> = promised.difference(&served).collect();
    let extra: Vec<_> = served.difference(&promised).collect();
    assert!(missing.is_empty(), "in the contract but not served: {missing:?}");
    assert!(extra.is_empty(), "served but not in the contract: {extra:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_contract_route_is_routed_and_nothing_else_is() {
    let mut client = Client::new();
    client.sign_in("u-xiaoman");
    for (method, path) in contract_routes() {
        let concrete: String = path
            .split('/')
            .map(|s| if s.starts_with('{') { "x-probe" } else { s })
            .collect::<Vec<_>>()
            .join("/");
        let answer = client.raw(&method, &format!("/api/v1{concrete}"), Some(json!({})), &[]).await;
        assert_ne!(answer.body["message"], "没有这个接口", "{method} {path} is not routed");
        assert_ne!(answer.status.as_u16(), 405, "{method} {path} is not routed for {method}");
    }
    for (method, path) in [("GET", "/admin"), ("POST", "/cart/lines/x/extra"), ("GET", "/orders/x/refund"), ("PUT", "/cart")] {
        let answer = client.raw(method, &format!("/api/v1{path}"), None, &[]).await;
        assert!(answer.status == 404 || answer.status == 405, "{method} {path} must not be served: {}", answer.status);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn errors_use_the_contracts_error_body() {
    let client = Client::new();
    let no_session = client.call("GET", "/cart", None, &[]).await;
    assert_eq!(no_session.status, 401);
    assert_eq!(no_session.code(), "unauthorized");
    let expired = client.call("GET", "/cart", None, &[("authorization", "Bearer nope")]).await;
    assert_eq!(expired.code(), "session_expired");
    let bad_json = client.raw("POST", "/api/v1/session/oauth", None, &[("content-type", "application/json")]).await;
    assert_eq!(bad_json.status, 400);
    assert_eq!(bad_json.body["code"], "bad_request");
    let unknown = client.raw("GET", "/api/v1/nothing-here", None, &[]).await;
    assert_eq!((unknown.status.as_u16(), unknown.body["code"].as_str()), (404, Some("not_found")));
}

#[test]
fn the_validator_rejects_what_breaks_the_contract() {
    let doc = contract();
    let cart = json!({"$ref": "#/components/schemas/Cart"});
    let good = json!({"version": 1, "updated_at": 5, "stores": []});
    assert!(support::validate(doc, &cart, &good, "$").is_empty());
    let wrong_type = json!({"version": "1", "updated_at": 5, "stores": []});
    assert!(!support::validate(doc, &cart, &wrong_type, "$").is_empty());
    let missing = json!({"version": 1, "stores": []});
    assert!(!support::validate(doc, &cart, &missing, "$").is_empty());
    let bad_line = json!({"version": 1, "updated_at": 5, "stores": [{"store_id": "s", "name": "n", "channel": "mall",
        "lines": [{"line_id": "l"}]}]});
    assert!(!support::validate(doc, &cart, &bad_line, "$").is_empty());
    let attachment = json!({"$ref": "#/components/schemas/MomentAttachment"});
    let mixed = json!({"kind": "video", "images": [{"url": "u", "width": 1, "height": 1}]});
    assert!(!support::validate(doc, &attachment, &mixed, "$").is_empty(), "a video without video is refused");
}
