//! Parses a YAML file into a generic tree (serde_json::Value) with
//! serde-saphyr and no budget, and prints the number of top-level keys so the
//! work cannot be optimised away. Same allocator as reprise, so that the
//! ratio compares parsing work, not allocators.

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
fn main() {
    let path = std::env::args().nth(1).expect("usage: yaml-floor FILE");
    let text = std::fs::read_to_string(&path).expect("read");
    let options = serde_saphyr::options! { budget: None };
    let value: serde_json::Value =
        serde_saphyr::from_str_with_options(&text, options).expect("parse");
    println!("{}", value.as_object().map_or(0, |m| m.len()));
}
