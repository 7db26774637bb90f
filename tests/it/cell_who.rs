//! The crisis cell's report: who recorded what, per person and per team,
//! after teams closed their own steps from their own terminals; and what
//! the journal says about each attached terminal's roles.

use expectrl::Expect;

use crate::cell::Drill;
use crate::crisis::me;

const TEAMS: &str = r#"version: 1
name: Storage array lost
steps:
  - id: st-snap
    title: Storage takes a snapshot
    role: storage
    run: "true"
  - id: st-check
    title: Storage checks the LUNs
    role: storage
    needs: [st-snap]
  - id: net-vlan
    title: Network opens the VLAN
    role: network
  - id: app-start
    title: Application starts
    role: app
    needs: [st-check, net-vlan]
  - id: lab-ok
    title: Lab checks the results
    needs: [app-start]
"#;

fn report(drill: &Drill, args: &[&str]) -> String {
    let out = crate::harness::Test::at(drill.dir.path())
        .args(["report", "j.jsonl"])
        .args(args)
        .env("TZ", "UTC")
        .run();
    assert_eq!(out.code, 0, "report {args:?}: {}{}", out.stdout, out.stderr);
    out.stdout
}

#[test]
fn the_report_says_who_recorded_what_per_person_and_per_team() {
    let me = me();
    let mut drill = Drill::start(TEAMS, &[]);
    let mut storage = drill.attach("stor", &["--role", "storage"]);
    let mut network = drill.attach("net", &[]);
    // The command's outcome is reprise's; the teams close their own
    // manual items, out of order, each from its own terminal.
    assert_eq!(drill.finished("st-snap")[0]["source"], "command");
    network.send_line("done 3").unwrap();
    assert_eq!(drill.finished("net-vlan")[0]["by"], "net");
    storage.expect("`done 2`").expect("storage's item opens");
    storage.send_line("done 2").unwrap();
    // Its own record, drawn in colour: colours are kept, not shown as
    // `\e[32m` (the drill's lines were escaped a second time).
    let seen = storage.expect("by stor").expect("storage sees its record");
    let seen = String::from_utf8_lossy(seen.before()).into_owned();
    assert!(seen.contains("\x1b[32m"), "{seen:?}");
    assert!(!seen.contains("\\e["), "{seen:?}");
    assert_eq!(drill.finished("st-check")[0]["by"], "stor");
    // Typed once the item is open at that terminal (the journal has the
    // step before the drill asks it).
    drill
        .coordinator
        .expect("`done 4`")
        .expect("the application's item opens");
    drill.coordinator.send_line("done 4").unwrap();
    assert_eq!(drill.finished("app-start")[0]["by"], "coord");
    network.expect("`skip 5`").expect("the lab's item opens");
    network.send_line("skip 5 the lab is flooded").unwrap();
    assert_eq!(drill.finished("lab-ok")[0]["by"], "net");
    drill.coordinator.expect(expectrl::Eof).expect("the end");
    drill.verified();

    // The JSON: one entry per person, with the account the drill saw.
    let json: serde_json::Value =
        serde_json::from_str(&report(&drill, &["--format", "json"])).unwrap();
    let people: Vec<(String, String, Vec<String>, Vec<String>)> = json["by_person"]
        .as_array()
        .expect("by_person")
        .iter()
        .map(|p| {
            let strings = |k: &str| -> Vec<String> {
                p[k].as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_str().unwrap().to_string())
                    .collect()
            };
            (
                p["name"].as_str().unwrap().to_string(),
                p["account"].as_str().unwrap().to_string(),
                strings("teams"),
                strings("steps"),
            )
        })
        .collect();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        people,
        [
            (
                "net".into(),
                me.clone(),
                s(&["network"]),
                s(&["net-vlan", "lab-ok"])
            ),
            ("stor".into(), me.clone(), s(&["storage"]), s(&["st-check"])),
            ("coord".into(), me.clone(), s(&["app"]), s(&["app-start"])),
        ],
        "{json:#}"
    );
    let net = &json["by_person"][0];
    assert_eq!(
        (net["done"].as_u64(), net["other"].as_u64()),
        (Some(1), Some(1))
    );
    let teams: Vec<(String, u64, u64, Vec<String>)> = json["by_team"]
        .as_array()
        .expect("by_team")
        .iter()
        .map(|t| {
            (
                t["team"].as_str().unwrap().to_string(),
                t["steps"].as_u64().unwrap(),
                t["recorded"].as_u64().unwrap(),
                t["recorded_by"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| format!("{}:{}", r["name"].as_str().unwrap(), r["steps"]))
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        teams,
        [
            ("storage".into(), 2, 2, s(&["reprise:1", "stor:1"])),
            ("network".into(), 1, 1, s(&["net:1"])),
            ("app".into(), 1, 1, s(&["coord:1"])),
            (String::new(), 1, 1, s(&["net:1"])),
        ],
        "{json:#}"
    );

    // Markdown: the same, as tables.
    let md = report(&drill, &[]);
    let section = &md[md.find("## Who recorded what").expect(&md)..];
    assert!(
        section.contains(&format!(
            "| net | `{me}` | network | 2 (1 done, 1 skipped or not applicable) | `net-vlan`, `lab-ok` |"
        )),
        "{section}"
    );
    assert!(
        section.contains(&format!(
            "| storage | 2 of 2 (2 done) | reprise: 1, stor ({me}): 1 | — |"
        )),
        "{section}"
    );
    assert!(
        section.contains(&format!(
            "| no role | 1 of 1 (0 done) | net ({me}): 1 | — |"
        )),
        "{section}"
    );

    // HTML and French.
    let html = report(&drill, &["--format", "html"]);
    assert!(
        html.contains("<h2 id=\"who\">Who recorded what</h2>"),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            "<tr><td>stor</td><td><code>{me}</code></td><td>storage</td><td>1 (1 done)</td><td><code>st-check</code></td></tr>"
        )),
        "{html}"
    );
    let fr = report(&drill, &["--lang", "fr"]);
    assert!(fr.contains("## Qui a enregistré quoi"), "{fr}");
    assert!(fr.contains("### Par équipe"), "{fr}");
    assert!(
        fr.contains(&format!(
            "| net | `{me}` | network | 2 (1 faite, 1 sautée ou sans objet) |"
        )),
        "{fr}"
    );
}

const ROLES: &str = r#"version: 1
name: Roles
roles:
  storage: { members: [ME] }
  network: { members: [nobody-here] }
steps:
  - id: st-check
    title: Storage checks the LUNs
    role: storage
  - id: net-vlan
    title: Network opens the VLAN
    role: network
"#;

#[test]
fn each_attached_terminal_s_roles_are_in_the_journal() {
    let me = me();
    let mut drill = Drill::start(&ROLES.replace("ME", &me), &[]);
    // Named on the command line; a role no step has is pointed out.
    let mut named = drill.attach("named", &["--role", "network", "--role", "netwrok"]);
    named
        .expect("no step has the role netwrok: the drill's roles are network, storage")
        .expect("a typo is said");
    // Not named: the roles its account has under `roles:`.
    let _member = drill.attach("member", &[]);
    drill
        .coordinator
        .expect(format!("member (account {me}) attached for storage").as_str())
        .expect("the coordinator sees who attached for which roles");
    let attached: Vec<(String, serde_json::Value)> = drill
        .journal()
        .into_iter()
        .filter(|e| e["event"] == "operator_attached")
        .map(|e| (e["by"].as_str().unwrap().to_string(), e["roles"].clone()))
        .collect();
    assert_eq!(
        attached,
        [
            (
                "named".to_string(),
                serde_json::json!(["network", "netwrok"])
            ),
            ("member".to_string(), serde_json::json!(["storage"])),
        ]
    );
    drill.coordinator.send_line("done 1").unwrap();
    drill.coordinator.send_line("done 2").unwrap();
    drill.coordinator.expect(expectrl::Eof).expect("the end");
    drill.verified();
}
