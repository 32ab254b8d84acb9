//! Prints the English catalog's texts, one per line, in the order the release build's English
//! module reads them: `scripts/release.mjs` sends them as a file of their own (`src/i18n.rs`).

fn main() {
    print!("{}", wxfollower::i18n::english_texts().join("\n"));
}
