use super::*;

fn root(text: &str) -> Rc<Node> {
    let doc = parse(text);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    doc.root.expect("a root")
}

fn errors(text: &str) -> Vec<Diagnostic> {
    parse(text).errors
}

fn slice(text: &str, span: Span) -> &str {
    &text[span.offset..span.offset + span.len]
}

#[test]
fn keys_and_values_keep_exact_spans() {
    let text = "a: 1\nbé: 'q x'\nc:\n  - [x, yz]\n  - {d: e}\n";
    let root = root(text);
    let m = root.mapping().unwrap();
    assert_eq!(m.len(), 3);
    assert_eq!(
        (m[1].key.as_str(), m[1].key_span.line, m[1].key_span.column),
        ("bé", 2, 1)
    );
    assert_eq!(slice(text, m[1].key_span), "bé");
    assert_eq!(slice(text, m[1].value.span), "'q x'");
    // Columns count characters, offsets count bytes.
    assert_eq!(m[1].value.span.column, 5);
    assert_eq!(m[1].value.span.offset, 10);
    let items = m[2].value.sequence().unwrap();
    assert_eq!(slice(text, items[0].span), "[x, yz]");
    let inner = items[0].sequence().unwrap();
    assert_eq!(slice(text, inner[1].span), "yz");
    assert_eq!((inner[1].span.line, inner[1].span.column), (4, 9));
    assert_eq!(slice(text, items[1].span), "{d: e}");
}

#[test]
fn scalars_remember_whether_they_were_quoted() {
    let text = "a: 1\nb: '1'\nc: ~\nd:\ne: \"\"\n";
    let root = root(text);
    let m = root.mapping().unwrap();
    assert_eq!(m[0].value.kind(), "a number");
    assert_eq!(m[1].value.kind(), "a string");
    assert!(m[2].value.is_null());
    assert!(m[3].value.is_null());
    assert!(!m[4].value.is_null());
}

#[test]
fn duplicate_keys_point_at_the_second_and_name_the_first_line() {
    let text = "a: 1\nb: 2\na: 3\n";
    let errors = errors(text);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].code, "yaml-duplicate-key");
    assert!(
        errors[0].message.contains("line 1"),
        "{}",
        errors[0].message
    );
    let span = errors[0].span.unwrap();
    assert_eq!((span.line, span.column, span.len), (3, 1, 1));
    // The first value is kept.
    let doc = parse(text);
    let m = doc.root.as_ref().unwrap().mapping().unwrap().to_vec();
    assert_eq!(m.len(), 2);
    assert_eq!(m[0].value.scalar().unwrap().text, "1");
}

#[test]
fn duplicate_keys_are_found_in_big_mappings_too() {
    let mut text: String = (0..100).map(|i| format!("k{i}: v\n")).collect();
    text.push_str("k42: again\n");
    let errors = errors(&text);
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].message.contains("line 43"),
        "{}",
        errors[0].message
    );
}

#[test]
fn aliases_share_the_anchored_value() {
    let text = "a: &x [1, 2]\nb: *x\n";
    let root = root(text);
    let m = root.mapping().unwrap();
    assert_eq!(m[1].value.sequence().unwrap().len(), 2);
}

#[test]
fn alias_bombs_stop_at_the_budget() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let errors = errors(&text);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].code, "yaml-too-large");
}

#[test]
fn deep_nesting_is_refused_early() {
    let text = "[".repeat(100_000) + &"]".repeat(100_000);
    let errors = errors(&text);
    assert_eq!(errors[0].code, "yaml-depth");
    let nested: String = (0..100).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
    assert_eq!(errors_code(&nested), "yaml-depth");
}

fn errors_code(text: &str) -> &'static str {
    errors(text)[0].code
}

#[test]
fn aliases_cannot_nest_past_the_depth_limit() {
    // Each anchor wraps the previous one in one more list.
    let mut text = String::from("a0: &a0 [x]\n");
    for i in 1..80 {
        text.push_str(&format!("a{i}: &a{i} [*a{}]\n", i - 1));
    }
    assert_eq!(errors_code(&text), "yaml-depth");
}

#[test]
fn several_documents_tags_and_empty_files_are_errors() {
    assert_eq!(errors_code("a: 1\n---\nb: 2\n"), "yaml-multiple-documents");
    assert_eq!(errors_code("a: !!str 1\n"), "yaml-tag");
    assert_eq!(errors_code(""), "empty-file");
    assert_eq!(errors_code("# only a comment\n"), "empty-file");
    assert_eq!(errors_code("a: [1, 2\n"), "yaml-syntax");
    assert_eq!(errors_code("? [a]\n: 1\n"), "yaml-key");
}

#[test]
fn a_huge_value_is_refused() {
    let text = format!("a: {}\n", "x".repeat(MAX_SCALAR_BYTES + 1));
    assert_eq!(errors_code(&text), "value-too-long");
}

/// The classic mistakes point at the offending character and say
/// what to do.
#[test]
fn tabs_and_unquoted_colons_are_located_with_a_hint() {
    let tab = errors("version: 1\nsteps:\n  - id: a\n    title: A\n\trun: echo hi\n");
    let at = tab[0].span.unwrap();
    assert_eq!((at.line, at.column), (5, 1), "{tab:?}");
    assert!(tab[0].message.contains("tab"), "{tab:?}");
    assert!(tab[0].hint.as_deref().unwrap().contains("spaces"));
    let block = errors("a:\n  run: |\n    echo a\n\techo b\n");
    let at = block[0].span.unwrap();
    assert_eq!((at.line, at.column), (4, 1), "{block:?}");
    let colon = errors("steps:\n  - id: a\n    run: grep -c foo: bar\n");
    let at = colon[0].span.unwrap();
    assert_eq!((at.line, at.column), (3, 21), "{colon:?}");
    assert!(colon[0].hint.as_deref().unwrap().contains("quote the"));
    let item = errors("steps:\n  - id: a\n    title: A\n   - id: b\n");
    assert_eq!(item[0].span.unwrap().line, 4, "{item:?}");
    assert!(item[0].hint.as_deref().unwrap().contains("list item"));
}

#[test]
fn syntax_errors_are_located() {
    let errors = errors("a:\n  b: [1, 2\nc: 3\n");
    assert_eq!(errors[0].code, "yaml-syntax");
    assert!(errors[0].span.unwrap().line >= 2);
}

/// Random strings over YAML's punctuation: the builder must never
/// panic, and must either produce a tree or say why not.
#[test]
fn random_punctuation_never_panics() {
    let alphabet: Vec<char> = "ab1 -:?[]{},&*!|>'\"#%@\n\n  \té".chars().collect();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..5000 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let len = (seed % 120) as usize;
        let text: String = (0..len)
            .map(|i| {
                let x = seed.rotate_left(i as u32 * 7) ^ (i as u64).wrapping_mul(0x9e37_79b9);
                alphabet[(x % alphabet.len() as u64) as usize]
            })
            .collect();
        let doc = parse(&text);
        assert!(
            doc.root.is_some() || !doc.errors.is_empty(),
            "no tree and no error for {text:?}"
        );
    }
}
