//! Cart rules that need no browser: totals in integer fen, limits, and the follower's changes
//! as operations that can be re-applied on a newer cart (another device changed it) and kept
//! until the server has them (a failed write is never silently dropped).

use super::{Cart, CartLine, LineStatus};
use crate::json::{FromJson, Json, JsonError, ToJson};

/// A line counts toward the total only when it is available and selected.
pub fn counts(line: &CartLine) -> bool {
    line.selected && line.status == LineStatus::Ok
}

/// (pieces, total in fen) of the selected available lines (a cart's or a store's). Saturates
/// instead of overflowing: hostile data can never panic the page.
pub fn selected_total<'a>(lines: impl IntoIterator<Item = &'a CartLine>) -> (i64, i64) {
    total_of(lines.into_iter().filter(|l| counts(l)))
}

/// (pieces, total in fen) of some lines.
pub fn total_of<'a>(lines: impl Iterator<Item = &'a CartLine>) -> (i64, i64) {
    lines.fold((0i64, 0i64), |(n, fen), l| {
        (n.saturating_add(l.quantity.max(0)), fen.saturating_add(l.unit_price_fen.max(0).saturating_mul(l.quantity.max(0))))
    })
}

/// Lines rendered in the first pass and in each later one: a long cart is built a slice per
/// task so the first lines paint at once and a tap is never stuck behind the rest.
pub const FIRST_PASS_LINES: usize = 30;
pub const PASS_LINES: usize = 25;

/// How many stores to show after one more pass, given each store's line count and how many
/// are shown: whole stores (at least one more) until `budget` more lines are reached.
pub fn stores_after_pass(line_counts: &[usize], shown: usize, budget: usize) -> usize {
    let mut added = 0;
    let mut next = shown.min(line_counts.len());
    while next < line_counts.len() && (next == shown || added + line_counts[next] <= budget) {
        added += line_counts[next];
        next += 1;
    }
    next
}

/// How many lines the cart holds, available or not.
pub fn line_count(cart: &Cart) -> usize {
    cart.lines().count()
}

/// Every available line is selected (and there is at least one), of a cart's or a store's.
pub fn all_selected<'a>(lines: impl IntoIterator<Item = &'a CartLine>) -> bool {
    let mut available = lines.into_iter().filter(|l| l.status == LineStatus::Ok).peekable();
    available.peek().is_some() && available.all(|l| l.selected)
}

/// Why a quantity cannot go higher.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    /// Only this many left.
    Stock(i64),
    /// One person may buy at most this many.
    PerPerson(i64),
}

impl Limit {
    pub fn max(self) -> i64 {
        match self {
            Limit::Stock(n) | Limit::PerPerson(n) => n,
        }
    }
}

/// The most of a line one may hold, and which rule sets it.
pub fn limit_of(line: &CartLine) -> Limit {
    let stock = line.stock.max(0);
    let per_person = line.limit_per_person.max(1);
    if stock < per_person {
        Limit::Stock(stock)
    } else {
        Limit::PerPerson(per_person)
    }
}

/// A change the follower made, kept until the server confirms it (stored as `{"op": …, …}`).
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    Add { sku_id: String, quantity: i64 },
    SetQuantity { line_id: String, quantity: i64 },
    Select { line_ids: Option<Vec<String>>, selected: bool },
    Remove { line_ids: Vec<String> },
    AcceptPrice { line_id: String },
    ClearUnavailable,
}

impl FromJson for Change {
    fn from_json(v: &Json) -> Result<Change, JsonError> {
        let r = v.record()?;
        let op: String = r.field("op")?;
        Ok(match op.as_str() {
            "add" => Change::Add { sku_id: r.field("sku_id")?, quantity: r.field("quantity")? },
            "set_quantity" => Change::SetQuantity { line_id: r.field("line_id")?, quantity: r.field("quantity")? },
            "select" => Change::Select { line_ids: r.field("line_ids")?, selected: r.field("selected")? },
            "remove" => Change::Remove { line_ids: r.field("line_ids")? },
            "accept_price" => Change::AcceptPrice { line_id: r.field("line_id")? },
            "clear_unavailable" => Change::ClearUnavailable,
            _ => return Err(JsonError::new("not a kind of change")),
        })
    }
}

impl ToJson for Change {
    fn to_json(&self) -> Json {
        let (op, mut fields) = match self {
            Change::Add { sku_id, quantity } => ("add", vec![("sku_id", sku_id.to_json()), ("quantity", quantity.to_json())]),
            Change::SetQuantity { line_id, quantity } => ("set_quantity", vec![("line_id", line_id.to_json()), ("quantity", quantity.to_json())]),
            Change::Select { line_ids, selected } => ("select", vec![("line_ids", line_ids.to_json()), ("selected", selected.to_json())]),
            Change::Remove { line_ids } => ("remove", vec![("line_ids", line_ids.to_json())]),
            Change::AcceptPrice { line_id } => ("accept_price", vec![("line_id", line_id.to_json())]),
            Change::ClearUnavailable => ("clear_unavailable", vec![]),
        };
        fields.insert(0, ("op", Json::from(op)));
        Json::object(fields)
    }
}

fn line<'a>(cart: &'a Cart, id: &str) -> Option<&'a CartLine> {
    cart.lines().find(|l| l.line_id == id)
}

/// The change as it still makes sense on `current` (a newer cart from another device): lines
/// that are gone are left out, quantities are held within the current limits, a change with
/// nothing left to do is dropped. The follower's intent survives; nothing is applied twice.
pub fn rebase(change: &Change, current: &Cart) -> Option<Change> {
    match change {
        Change::Add { sku_id, quantity } => {
            let held = current.lines().find(|l| &l.sku_id == sku_id);
            match held {
                // Already there (added elsewhere too): adding again would double it.
                Some(_) => None,
                None => Some(Change::Add { sku_id: sku_id.clone(), quantity: *quantity }),
            }
        }
        Change::SetQuantity { line_id, quantity } => {
            let l = line(current, line_id)?;
            if l.status == LineStatus::OutOfStock || l.status == LineStatus::Delisted {
                return None;
            }
            let q = (*quantity).clamp(1, limit_of(l).max().max(1));
            (q != l.quantity).then(|| Change::SetQuantity { line_id: line_id.clone(), quantity: q })
        }
        Change::Select { line_ids, selected } => {
            let ids = match line_ids {
                None => None,
                Some(ids) => {
                    let kept: Vec<String> = ids.iter().filter(|id| line(current, id).is_some()).cloned().collect();
                    if kept.is_empty() {
                        return None;
                    }
                    Some(kept)
                }
            };
            Some(Change::Select { line_ids: ids, selected: *selected })
        }
        Change::Remove { line_ids } => {
            let kept: Vec<String> = line_ids.iter().filter(|id| line(current, id).is_some()).cloned().collect();
            (!kept.is_empty()).then_some(Change::Remove { line_ids: kept })
        }
        Change::AcceptPrice { line_id } => {
            let l = line(current, line_id)?;
            (l.status == LineStatus::PriceChanged).then(|| change.clone())
        }
        Change::ClearUnavailable => current.lines().any(|l| l.status != LineStatus::Ok).then_some(Change::ClearUnavailable),
    }
}

/// Applies a change to a cart as the page shows it before the server answers (optimistic).
pub fn apply(cart: &mut Cart, change: &Change) {
    let each = |cart: &mut Cart, f: &mut dyn FnMut(&mut CartLine)| {
        for store in &mut cart.stores {
            for l in &mut store.lines {
                f(l);
            }
        }
    };
    match change {
        Change::Add { .. } => {}
        Change::SetQuantity { line_id, quantity } => each(cart, &mut |l| {
            if &l.line_id == line_id {
                l.quantity = *quantity;
            }
        }),
        Change::Select { line_ids, selected } => each(cart, &mut |l| {
            let chosen = line_ids.as_ref().is_none_or(|ids| ids.contains(&l.line_id));
            if chosen && (l.status == LineStatus::Ok || !selected) {
                l.selected = *selected;
            }
        }),
        Change::Remove { line_ids } => {
            for store in &mut cart.stores {
                store.lines.retain(|l| !line_ids.contains(&l.line_id));
            }
            cart.stores.retain(|s| !s.lines.is_empty());
        }
        Change::AcceptPrice { line_id } => each(cart, &mut |l| {
            if &l.line_id == line_id {
                l.price_when_added_fen = l.unit_price_fen;
                l.status = LineStatus::Ok;
            }
        }),
        Change::ClearUnavailable => {
            for store in &mut cart.stores {
                store.lines.retain(|l| l.status == LineStatus::Ok);
            }
            cart.stores.retain(|s| !s.lines.is_empty());
        }
    }
}

/// Folds a new change into the outbox: a later quantity for the same line replaces the earlier
/// one (rapid taps become one request), anything else queues in order.
pub fn enqueue(outbox: &mut Vec<Change>, change: Change) {
    if let Change::SetQuantity { line_id, .. } = &change {
        if let Some(Change::SetQuantity { quantity, .. }) =
            outbox.iter_mut().rev().find(|c| matches!(c, Change::SetQuantity { line_id: l, .. } if l == line_id))
        {
            if let Change::SetQuantity { quantity: q, .. } = &change {
                *quantity = *q;
            }
            return;
        }
    }
    outbox.push(change);
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::{CartStore, LineStatus};
    use super::*;
    use proptest::prelude::*;

    fn line(id: &str, price: i64, qty: i64, selected: bool, status: LineStatus) -> CartLine {
        CartLine {
            line_id: id.into(),
            sku_id: format!("sku-{id}"),
            store_id: "st".into(),
            title: "t".into(),
            spec: String::new(),
            image_url: String::new(),
            unit_price_fen: price,
            price_when_added_fen: price,
            quantity: qty,
            stock: 99,
            limit_per_person: 9,
            selected,
            status,
        }
    }

    fn cart(lines: Vec<CartLine>) -> Cart {
        Cart { version: 1, updated_at: 0, stores: vec![CartStore { store_id: "st".into(), name: "n".into(), channel: "mall".into(), lines }] }
    }

    #[test]
    fn only_selected_available_lines_count() {
        let c = cart(vec![
            line("a", 7900, 2, true, LineStatus::Ok),
            line("b", 19900, 1, false, LineStatus::Ok),
            line("c", 25800, 1, true, LineStatus::OutOfStock),
            line("d", 45900, 1, true, LineStatus::PriceChanged),
        ]);
        assert_eq!(selected_total(c.lines()), (2, 15800));
        assert_eq!(line_count(&c), 4);
        assert!(!all_selected(c.lines()));
    }

    #[test]
    fn the_tighter_of_stock_and_the_per_person_limit_applies() {
        let mut l = line("a", 100, 1, true, LineStatus::Ok);
        l.stock = 3;
        l.limit_per_person = 5;
        assert_eq!(limit_of(&l), Limit::Stock(3));
        l.stock = 50;
        assert_eq!(limit_of(&l), Limit::PerPerson(5));
    }

    #[test]
    fn a_change_is_rebased_onto_a_newer_cart() {
        let mut newer = cart(vec![line("a", 100, 1, true, LineStatus::Ok), line("b", 100, 1, true, LineStatus::Ok)]);
        newer.stores[0].lines[0].stock = 2;
        // Asked for 5, but only 2 are left now.
        assert_eq!(rebase(&Change::SetQuantity { line_id: "a".into(), quantity: 5 }, &newer), Some(Change::SetQuantity { line_id: "a".into(), quantity: 2 }));
        // The line was removed on the other device: nothing to do.
        assert_eq!(rebase(&Change::SetQuantity { line_id: "gone".into(), quantity: 3 }, &newer), None);
        assert_eq!(rebase(&Change::Remove { line_ids: vec!["a".into(), "gone".into()] }, &newer), Some(Change::Remove { line_ids: vec!["a".into()] }));
        // Added on both devices: added once.
        assert_eq!(rebase(&Change::Add { sku_id: "sku-a".into(), quantity: 1 }, &newer), None);
        assert_eq!(rebase(&Change::Add { sku_id: "sku-new".into(), quantity: 1 }, &newer), Some(Change::Add { sku_id: "sku-new".into(), quantity: 1 }));
    }

    #[test]
    fn rapid_taps_become_one_request() {
        let mut outbox = vec![];
        for q in 2..=6 {
            enqueue(&mut outbox, Change::SetQuantity { line_id: "a".into(), quantity: q });
        }
        enqueue(&mut outbox, Change::Select { line_ids: None, selected: false });
        assert_eq!(outbox, vec![Change::SetQuantity { line_id: "a".into(), quantity: 6 }, Change::Select { line_ids: None, selected: false }]);
    }

    #[test]
    fn changes_survive_a_reload_as_json() {
        let outbox = vec![
            Change::Add { sku_id: "s1".into(), quantity: 2 },
            Change::SetQuantity { line_id: "a".into(), quantity: 3 },
            Change::Select { line_ids: None, selected: false },
            Change::Select { line_ids: Some(vec!["a".into(), "b".into()]), selected: true },
            Change::Remove { line_ids: vec!["c".into()] },
            Change::AcceptPrice { line_id: "d".into() },
            Change::ClearUnavailable,
        ];
        let text = crate::json::to_string(&outbox);
        assert_eq!(crate::json::from_str::<Vec<Change>>(&text).unwrap(), outbox);
        // What earlier builds stored is still read.
        let stored = r#"[{"op":"set_quantity","line_id":"a","quantity":3},{"op":"select","line_ids":null,"selected":true},{"op":"clear_unavailable"}]"#;
        assert_eq!(
            crate::json::from_str::<Vec<Change>>(stored).unwrap(),
            vec![Change::SetQuantity { line_id: "a".into(), quantity: 3 }, Change::Select { line_ids: None, selected: true }, Change::ClearUnavailable]
        );
        for broken in [r#"[{"op":"add","sku_id":"s"}]"#, r#"[{"op":"teleport"}]"#, r#"[{"line_id":"a"}]"#, r#"[{"op":"remove","line_ids":"a"}]"#] {
            assert!(crate::json::from_str::<Vec<Change>>(broken).is_err(), "{broken}");
        }
    }

    fn arb_cart() -> impl Strategy<Value = Cart> {
        proptest::collection::vec((0i64..100_000, 1i64..20, any::<bool>(), 0u8..4, 0i64..30, 1i64..10), 0..40).prop_map(|lines| {
            let statuses = [LineStatus::Ok, LineStatus::OutOfStock, LineStatus::Delisted, LineStatus::PriceChanged];
            cart(lines
                .into_iter()
                .enumerate()
                .map(|(i, (p, q, s, k, stock, lim))| {
                    let mut l = line(&format!("l{i}"), p, q, s, statuses[k as usize]);
                    l.stock = stock;
                    l.limit_per_person = lim;
                    l
                })
                .collect())
        })
    }

    proptest! {
        #[test]
        fn the_total_is_the_sum_of_counted_lines(c in arb_cart()) {
            let expected: i64 = c.lines().filter(|l| l.selected && l.status == LineStatus::Ok).map(|l| l.unit_price_fen * l.quantity).sum();
            prop_assert_eq!(selected_total(c.lines()).1, expected);
        }

        #[test]
        fn the_stores_figures_add_up_to_the_carts(c in arb_cart(), cut in 0usize..40) {
            // The same lines in two stores: each store's subtotal and "all selected" box (the
            // page works them out store by store) agree with the cart's.
            let mut split = c.clone();
            if let Some(first) = split.stores.first_mut() {
                let rest = first.lines.split_off(cut.min(first.lines.len()));
                let mut second = first.clone();
                second.store_id = "second".into();
                second.lines = rest;
                split.stores.push(second);
            }
            let by_store: i64 = split.stores.iter().map(|s| selected_total(&s.lines).1).sum();
            prop_assert_eq!(by_store, selected_total(c.lines()).1);
            let every_store = split.stores.iter().filter(|s| s.lines.iter().any(|l| l.status == LineStatus::Ok)).all(|s| all_selected(&s.lines));
            prop_assert_eq!(every_store && c.lines().any(|l| l.status == LineStatus::Ok), all_selected(c.lines()));
        }

        #[test]
        fn hostile_numbers_never_panic(lines in proptest::collection::vec((any::<i64>(), any::<i64>()), 0..10)) {
            let c = cart(lines.iter().enumerate().map(|(i, (p, q))| line(&format!("l{i}"), *p, *q, true, LineStatus::Ok)).collect());
            let (n, fen) = selected_total(c.lines());
            prop_assert!(n >= 0 && fen >= 0);
        }

        #[test]
        fn select_all_then_none_moves_the_total_to_all_then_zero(c in arb_cart()) {
            let mut all = c.clone();
            apply(&mut all, &Change::Select { line_ids: None, selected: true });
            let available: i64 = c.lines().filter(|l| l.status == LineStatus::Ok).map(|l| l.unit_price_fen * l.quantity).sum();
            prop_assert_eq!(selected_total(all.lines()).1, available);
            apply(&mut all, &Change::Select { line_ids: None, selected: false });
            prop_assert_eq!(selected_total(all.lines()), (0, 0));
        }

        #[test]
        fn a_rebased_quantity_is_always_within_the_current_limits(c in arb_cart(), pick in 0usize..40, q in -5i64..50) {
            if let Some(l) = c.lines().nth(pick) {
                if let Some(Change::SetQuantity { quantity, .. }) = rebase(&Change::SetQuantity { line_id: l.line_id.clone(), quantity: q }, &c) {
                    prop_assert!(quantity >= 1 && quantity <= limit_of(l).max().max(1));
                }
            }
        }

        #[test]
        fn removing_never_leaves_an_empty_store(c in arb_cart(), n in 0usize..40) {
            let ids: Vec<String> = c.lines().take(n).map(|l| l.line_id.clone()).collect();
            let mut after = c.clone();
            apply(&mut after, &Change::Remove { line_ids: ids.clone() });
            prop_assert!(after.stores.iter().all(|s| !s.lines.is_empty()));
            prop_assert!(after.lines().all(|l| !ids.contains(&l.line_id)));
        }
    }
}
