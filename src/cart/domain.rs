//! Cart rules that need no browser: what counts toward the total, in integer fen.

use super::{Cart, CartLine, LineStatus};

/// A line counts toward the total only when it is available and selected.
pub fn counts(line: &CartLine) -> bool {
    line.selected && line.status == LineStatus::Ok
}

/// (pieces, total in fen) of the selected available lines. Saturates instead of overflowing:
/// hostile data can never panic the page.
pub fn selected_total(cart: &Cart) -> (i64, i64) {
    cart.lines().filter(|l| counts(l)).fold((0i64, 0i64), |(n, fen), l| {
        (n.saturating_add(l.quantity.max(0)), fen.saturating_add(l.unit_price_fen.max(0).saturating_mul(l.quantity.max(0))))
    })
}

/// How many lines the cart holds, available or not.
pub fn line_count(cart: &Cart) -> usize {
    cart.lines().count()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::{CartStore, LineStatus};
    use super::*;
    use proptest::prelude::*;

    fn line(price: i64, qty: i64, selected: bool, status: LineStatus) -> CartLine {
        CartLine {
            line_id: format!("l{price}-{qty}"),
            sku_id: "s".into(),
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
            line(7900, 2, true, LineStatus::Ok),
            line(19900, 1, false, LineStatus::Ok),
            line(25800, 1, true, LineStatus::OutOfStock),
            line(45900, 1, true, LineStatus::PriceChanged),
        ]);
        assert_eq!(selected_total(&c), (2, 15800));
        assert_eq!(line_count(&c), 4);
    }

    proptest! {
        #[test]
        fn the_total_is_the_sum_of_counted_lines(lines in proptest::collection::vec((0i64..1_000_000, 1i64..100, any::<bool>(), 0u8..4), 0..60)) {
            let statuses = [LineStatus::Ok, LineStatus::OutOfStock, LineStatus::Delisted, LineStatus::PriceChanged];
            let c = cart(lines.iter().map(|(p, q, s, k)| line(*p, *q, *s, statuses[*k as usize])).collect());
            let expected: i64 = lines.iter().filter(|(_, _, s, k)| *s && *k == 0).map(|(p, q, _, _)| p * q).sum();
            let pieces: i64 = lines.iter().filter(|(_, _, s, k)| *s && *k == 0).map(|(_, q, _, _)| q).sum();
            prop_assert_eq!(selected_total(&c), (pieces, expected));
        }

        #[test]
        fn hostile_numbers_never_panic(lines in proptest::collection::vec((any::<i64>(), any::<i64>()), 0..10)) {
            let c = cart(lines.iter().map(|(p, q)| line(*p, *q, true, LineStatus::Ok)).collect());
            let (n, fen) = selected_total(&c);
            prop_assert!(n >= 0 && fen >= 0);
        }
    }
}
