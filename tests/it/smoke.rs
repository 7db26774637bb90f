use crate::harness::Test;

#[test]
fn unknown_flag_is_a_usage_error() {
    let out = Test::new().args(["--no-such-flag"]).run();
    out.code(2);
    assert!(out.stderr.contains("--no-such-flag"), "{}", out.stderr);
}

#[test]
fn version_and_help_succeed() {
    let out = Test::new().args(["--version"]).run();
    out.code(0);
    assert!(out.stdout.starts_with("reprise "), "{}", out.stdout);
}
