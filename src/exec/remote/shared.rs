//! The shared connections of a drill's hosts: how many commands each one
//! carries, which one the next command uses, and whether a master still
//! answers before it is reused.
//!
//! A server refuses sessions beyond its `MaxSessions` on one connection
//! (OpenSSH's default: 10), so a host has as many shared connections as
//! its busiest moment needs: the next command goes to the first connection
//! with a free session, and opens a new one when all are full. A master
//! is asked whether it is alive (what `ssh -O check` asks, over its
//! socket) before each reuse: one that does not answer is given up and a
//! new one opened in its place.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::{Duration, Instant};

/// How one `ssh` of a host reaches it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// Through the host's shared connection `k` (opening it when `opens`);
    /// `generation` tells a master opened again at the same socket from
    /// the one before.
    Shared {
        /// Which of the host's shared connections.
        k: usize,
        /// Which master at that socket.
        generation: u32,
        /// This `ssh` opens the connection (it becomes the master).
        opens: bool,
    },
    /// A connection of its own, shared with nobody.
    Own,
}

/// What is at a shared connection's socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Master {
    /// Nothing: no master, or one that ended (it removes its socket).
    Absent,
    /// A master that answered.
    Alive,
    /// A socket whose master does not answer (killed, frozen): given up.
    Dead,
}

/// How long other commands wait for a master being opened before they
/// connect on their own: the connect timeout and a margin.
const OPENING: Duration = Duration::from_secs(super::CONNECT_TIMEOUT + 5);

/// One shared connection of a host.
#[derive(Debug, Default)]
struct Conn {
    /// Commands using it now (its opener included).
    sessions: usize,
    /// Since when its opener has been connecting.
    opening: Option<Instant>,
    /// Bumped each time a master is opened again at this socket.
    generation: u32,
}

/// The shared connections of one host.
#[derive(Debug, Default)]
pub struct Conns {
    conns: Vec<Conn>,
}

impl Conns {
    /// Where the next command goes, at most `limit` commands per
    /// connection: the first connection with a free session whose master
    /// is alive (`master(k)` looks), else one opened anew. While a
    /// connection is being opened, a command that would need it connects on
    /// its own rather than race for the socket (ssh would print a warning
    /// into its output).
    pub fn claim(
        &mut self,
        limit: usize,
        now: Instant,
        mut master: impl FnMut(usize) -> Master,
    ) -> Via {
        let limit = limit.max(1);
        let mut k = 0;
        loop {
            if k == self.conns.len() {
                self.conns.push(Conn::default());
            }
            let c = &mut self.conns[k];
            if let Some(since) = c.opening {
                if now.duration_since(since) < OPENING {
                    if c.sessions < limit {
                        return Via::Own;
                    }
                    k += 1;
                    continue;
                }
                c.opening = None;
            }
            if c.sessions >= limit {
                k += 1;
                continue;
            }
            if master(k) == Master::Alive {
                c.sessions += 1;
                return Via::Shared {
                    k,
                    generation: c.generation,
                    opens: false,
                };
            }
            // No master (any more): the commands counted on the one that
            // ended are not on the new one.
            if c.sessions > 0 {
                c.generation = c.generation.wrapping_add(1);
                c.sessions = 0;
            }
            c.opening = Some(now);
            c.sessions = 1;
            return Via::Shared {
                k,
                generation: c.generation,
                opens: true,
            };
        }
    }

    /// A command claimed with `via` ended.
    pub fn release(&mut self, via: Via) {
        let Via::Shared {
            k,
            generation,
            opens,
        } = via
        else {
            return;
        };
        let Some(c) = self.conns.get_mut(k) else {
            return;
        };
        if c.generation != generation {
            return;
        }
        c.sessions = c.sessions.saturating_sub(1);
        if opens {
            c.opening = None;
        }
    }

    /// Commands on connection `k` now.
    #[cfg(test)]
    fn sessions(&self, k: usize) -> usize {
        self.conns.get(k).map_or(0, |c| c.sessions)
    }
}

/// Whether the master at `socket` answers, as `ssh -O check` asks it (the
/// multiplexing protocol's hello, then an alive check), within `wait`:
/// done here rather than by running `ssh -O check`, which costs tens of
/// milliseconds before every command.
pub fn check(socket: &Path, wait: Duration) -> Master {
    let mut stream = match UnixStream::connect(socket) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Master::Absent,
        Err(_) => return Master::Dead,
    };
    if alive(&mut stream, wait).is_ok() {
        Master::Alive
    } else {
        Master::Dead
    }
}

/// `MUX_MSG_HELLO`, `MUX_C_ALIVE_CHECK`, `MUX_S_ALIVE` (OpenSSH's
/// PROTOCOL.mux).
const HELLO: u32 = 0x0000_0001;
const ALIVE_CHECK: u32 = 0x1000_0004;
const ALIVE: u32 = 0x8000_0005;

fn alive(stream: &mut UnixStream, wait: Duration) -> std::io::Result<u32> {
    stream.set_read_timeout(Some(wait))?;
    stream.set_write_timeout(Some(wait))?;
    let packet = |words: &[u32]| {
        let mut p = ((words.len() * 4) as u32).to_be_bytes().to_vec();
        for w in words {
            p.extend(w.to_be_bytes());
        }
        p
    };
    let bad = |what: &str| std::io::Error::other(format!("the master's {what} is not valid"));
    stream.write_all(&packet(&[HELLO, 4]))?;
    let hello = read_packet(stream)?;
    if word(&hello, 0) != Some(HELLO) {
        return Err(bad("hello"));
    }
    stream.write_all(&packet(&[ALIVE_CHECK, 1]))?;
    let reply = read_packet(stream)?;
    match (word(&reply, 0), word(&reply, 1), word(&reply, 2)) {
        (Some(ALIVE), Some(1), Some(pid)) => Ok(pid),
        _ => Err(bad("answer")),
    }
}

fn read_packet(stream: &mut UnixStream) -> std::io::Result<Vec<u8>> {
    let mut len = [0; 4];
    stream.read_exact(&mut len)?;
    let len = u32::from_be_bytes(len) as usize;
    if len > 64 * 1024 {
        return Err(std::io::Error::other("the master's packet is too long"));
    }
    let mut body = vec![0; len];
    stream.read_exact(&mut body)?;
    Ok(body)
}

fn word(bytes: &[u8], i: usize) -> Option<u32> {
    let b = bytes.get(i * 4..i * 4 + 4)?;
    Some(u32::from_be_bytes(b.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_beyond_the_limit_go_to_another_shared_connection() {
        let mut conns = Conns::default();
        let t = Instant::now();
        // The first command opens connection 0.
        let first = conns.claim(2, t, |_| Master::Absent);
        assert!(matches!(
            first,
            Via::Shared {
                k: 0,
                opens: true,
                ..
            }
        ));
        // While it opens, others connect on their own.
        assert_eq!(conns.claim(2, t, |_| Master::Absent), Via::Own);
        conns.release(first);
        // Open: two sessions on 0, the third opens 1.
        let a = conns.claim(2, t, |_| Master::Alive);
        let b = conns.claim(2, t, |_| Master::Alive);
        assert!(matches!(
            a,
            Via::Shared {
                k: 0,
                opens: false,
                ..
            }
        ));
        assert!(matches!(
            b,
            Via::Shared {
                k: 0,
                opens: false,
                ..
            }
        ));
        assert_eq!(conns.sessions(0), 2);
        let c = conns.claim(2, t, |k| {
            if k == 0 {
                Master::Alive
            } else {
                Master::Absent
            }
        });
        assert!(matches!(
            c,
            Via::Shared {
                k: 1,
                opens: true,
                ..
            }
        ));
        conns.release(a);
        assert_eq!(conns.sessions(0), 1);
        let d = conns.claim(2, t, |_| Master::Alive);
        assert!(matches!(d, Via::Shared { k: 0, .. }));
    }

    #[test]
    fn a_master_that_does_not_answer_is_replaced_and_its_commands_forgotten() {
        let mut conns = Conns::default();
        let t = Instant::now();
        let first = conns.claim(10, t, |_| Master::Absent);
        conns.release(first);
        let old = conns.claim(10, t, |_| Master::Alive);
        // The master froze: the next command opens a new one there.
        let new = conns.claim(10, t, |_| Master::Dead);
        assert!(matches!(
            new,
            Via::Shared {
                k: 0,
                opens: true,
                ..
            }
        ));
        assert_eq!(conns.sessions(0), 1);
        // The end of a command on the old master does not count on the new.
        conns.release(old);
        assert_eq!(conns.sessions(0), 1);
    }

    #[test]
    fn an_opening_that_takes_too_long_is_tried_again() {
        let mut conns = Conns::default();
        let t = Instant::now();
        let _stuck = conns.claim(10, t, |_| Master::Absent);
        let later = t + OPENING + Duration::from_secs(1);
        let again = conns.claim(10, later, |_| Master::Absent);
        assert!(matches!(
            again,
            Via::Shared {
                k: 0,
                opens: true,
                ..
            }
        ));
    }

    #[test]
    fn a_socket_without_a_master_is_not_alive() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s");
        assert_eq!(check(&path, Duration::from_millis(200)), Master::Absent);
        // Bound but never answering (a frozen master).
        let _listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
        assert_eq!(check(&path, Duration::from_millis(200)), Master::Dead);
        drop(_listener);
        // A socket file whose process is gone.
        assert_eq!(check(&path, Duration::from_millis(200)), Master::Dead);
    }
}
