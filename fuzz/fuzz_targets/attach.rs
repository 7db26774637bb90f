//! The attach protocol's readers of what a client sends (docs/attach.md):
//! the first line is the greeting, every other line a message. Whatever a
//! client sends, the drill answers with an error or ignores the line; it
//! never panics.

#![no_main]

use libfuzzer_sys::fuzz_target;
use reprise::attach::{VERSION, parse_hello, parse_message};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.split('\n');
    let Some(first) = lines.next() else {
        return;
    };
    match parse_hello(first) {
        Ok(hello) => {
            assert_eq!(hello.attach, VERSION, "another version accepted");
            assert!(hello.r#as.as_deref().is_none_or(|n| n.chars().count() <= 64));
            if let Some(size) = hello.size {
                let _ = size.size();
            }
        }
        Err(message) => assert!(!message.is_empty(), "refused without a word"),
    }
    for line in lines {
        if let Some(msg) = parse_message(line) {
            assert!(msg.line.is_some() || msg.size.is_some(), "an empty message taken");
        }
    }
});
