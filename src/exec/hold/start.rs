//! Starting a held command without copying the drill's memory, and
//! without a thread of its own.
//!
//! `fork` copies the page tables of the whole process and write-protects
//! every page of it until the child execs; every thread of the drill then
//! takes copy-on-write faults, and each processor running one of them is
//! interrupted to flush its TLB. The cost grows with the drill's threads
//! and memory: with twenty attached terminals (46 threads, 65 MB), the
//! forks of 1,000 short commands made most of the drill's time (measured
//! in bench/RESULTS.md). And a held child lives, unexec'd, for the time
//! its record takes.
//!
//! So the child shares the drill's memory (`clone(CLONE_VM)`, as
//! `posix_spawn` starts one), on a stack of its own, and only makes system
//! calls on what [`Plan`] prepared before (nothing it writes is read by the
//! drill, nothing it reads changes until it has exec'd). Unlike
//! `posix_spawn` it is not a `vfork`: the driver's thread goes on while the
//! child waits for its release, instead of a thread per command sleeping
//! until the child execs (a thread started and ended per command, with its
//! stack and its allocator's heap, made the hold cost as much as the rest
//! of reprise on `bench/run`). The child's process id is `clone`'s result,
//! at once. Because the driver's thread runs meanwhile, and the child
//! borrows its thread-local storage, the child calls the kernel directly,
//! never through libc, which would write `errno` there ([`sys`]).
//!
//! Its file descriptors and signal handlers are its own copies (no
//! `CLONE_FILES`, no `CLONE_SIGHAND`). Signals are blocked while it shares
//! the drill's memory, so that no handler of the drill runs in it; those
//! with a handler are reset to their default (and `SIGPIPE`, which Rust
//! ignores), then the mask is emptied just before `exec`. If the thread
//! that started it ends (reprise dies) while it is held, the kernel kills
//! it (`PR_SET_PDEATHSIG`); it drops that order just before `exec`, so that
//! a command once running survives reprise as before, for `resume` to find.

use std::collections::BTreeMap;
use std::ffi::{CString, OsStr, OsString};
use std::io::{self, Read};
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::process::Command;
use std::sync::Mutex;

use nix::libc::{self, c_char, c_int, c_void};

use super::sys;

/// The child's stack while it shares the drill's memory (it calls a few
/// system calls, in frames of a few hundred bytes).
const STACK: usize = 64 * 1024;

/// Stacks kept for the next children (more are made when more children
/// are held at once; the drill starts at most a batch at a time).
const STACKS_KEPT: usize = 16;

/// The shell that runs a script without `#!`.
const SH: &std::ffi::CStr = c"/bin/sh";

/// A held child's stack, reused once its child has exec'd or exited.
pub(super) struct Stack(Box<[u128]>);

static STACKS: Mutex<Vec<Stack>> = Mutex::new(Vec::new());

impl Stack {
    fn take() -> Stack {
        let kept = STACKS.lock().unwrap_or_else(|e| e.into_inner()).pop();
        kept.unwrap_or_else(|| {
            Stack(vec![0u128; STACK / std::mem::size_of::<u128>()].into_boxed_slice())
        })
    }

    /// Back to the pool: only once its child no longer runs on it.
    pub(super) fn give_back(self) {
        let mut kept = STACKS.lock().unwrap_or_else(|e| e.into_inner());
        if kept.len() < STACKS_KEPT {
            kept.push(self);
        }
    }
}

/// Everything the child needs, made before it exists; it reads this (and
/// what it points into) until it has exec'd or exited.
pub(super) struct Plan {
    /// Where to look for the program, in order (the `PATH` search done
    /// here: the child may not allocate).
    paths: Vec<CString>,
    /// What `argv_ptrs` points into.
    _argv: Vec<CString>,
    argv_ptrs: Vec<*const c_char>,
    /// For each of `paths`, the arguments of `/bin/sh PATH ARGS…`: a file
    /// found but not a binary (`ENOEXEC`: a script without `#!`) is run by
    /// the shell, as `execvp` does.
    sh_argv_ptrs: Vec<Vec<*const c_char>>,
    /// What `env_ptrs` points into.
    _env: Vec<CString>,
    env_ptrs: Vec<*const c_char>,
    cwd: Option<CString>,
    /// Its standard input, output and error (the drill's copies are
    /// closed once the child exists: it has its own).
    stdio: [RawFd; 3],
    /// The child waits here for `g` (go) or anything else (stop).
    go_r: RawFd,
    /// An error before `exec` (its `errno`), written here; closed by `exec`.
    err_w: RawFd,
    parent: libc::pid_t,
}

/// The drill's copies of the descriptors the child gets: closed once it
/// exists.
pub(super) struct Fds {
    pub(super) stdout: OwnedFd,
    pub(super) stderr: OwnedFd,
    pub(super) go_r: OwnedFd,
    pub(super) err_w: OwnedFd,
}

fn cstring(s: &OsStr) -> io::Result<CString> {
    CString::new(s.as_bytes()).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("a NUL byte in {:?}", s.to_string_lossy()),
        )
    })
}

impl Plan {
    /// The plan of `cmd` (its program, arguments, environment added to
    /// reprise's, folder), with its output on `fds.stdout`/`fds.stderr`
    /// and its input from `/dev/null`.
    pub(super) fn new(cmd: &Command, fds: &Fds, stdin: &OwnedFd) -> io::Result<Plan> {
        let mut vars: BTreeMap<OsString, OsString> = std::env::vars_os().collect();
        for (k, v) in cmd.get_envs() {
            match v {
                Some(v) => vars.insert(k.to_owned(), v.to_owned()),
                None => vars.remove(k),
            };
        }
        let program = cmd.get_program();
        let paths = if program.as_bytes().contains(&b'/') {
            vec![cstring(program)?]
        } else {
            let search = vars
                .get(OsStr::new("PATH"))
                .cloned()
                .unwrap_or_else(|| OsString::from("/bin:/usr/bin"));
            search
                .as_bytes()
                .split(|&b| b == b':')
                .map(|dir| {
                    let mut p = if dir.is_empty() {
                        b".".to_vec()
                    } else {
                        dir.to_vec()
                    };
                    p.push(b'/');
                    p.extend_from_slice(program.as_bytes());
                    cstring(&OsString::from_vec(p))
                })
                .collect::<io::Result<_>>()?
        };
        let argv: Vec<CString> = std::iter::once(program)
            .chain(cmd.get_args())
            .map(cstring)
            .collect::<io::Result<_>>()?;
        let env: Vec<CString> = vars
            .into_iter()
            .map(|(mut k, v)| {
                k.push("=");
                k.push(v);
                cstring(&k)
            })
            .collect::<io::Result<_>>()?;
        let ptrs = |v: &[CString]| -> Vec<*const c_char> {
            v.iter()
                .map(|s| s.as_ptr())
                .chain(std::iter::once(std::ptr::null()))
                .collect()
        };
        let (argv_ptrs, env_ptrs) = (ptrs(&argv), ptrs(&env));
        let sh_argv_ptrs = paths
            .iter()
            .map(|path| {
                [SH.as_ptr(), path.as_ptr()]
                    .into_iter()
                    .chain(argv_ptrs[1..].iter().copied())
                    .collect()
            })
            .collect();
        let cwd = cmd
            .get_current_dir()
            .map(|d| cstring(d.as_os_str()))
            .transpose()?;
        Ok(Plan {
            paths,
            _argv: argv,
            argv_ptrs,
            sh_argv_ptrs,
            _env: env,
            env_ptrs,
            cwd,
            stdio: [
                stdin.as_raw_fd(),
                fds.stdout.as_raw_fd(),
                fds.stderr.as_raw_fd(),
            ],
            go_r: fds.go_r.as_raw_fd(),
            err_w: fds.err_w.as_raw_fd(),
            parent: std::process::id() as libc::pid_t,
        })
    }
}

/// Starts the child of `plan` held, on a stack of the pool; returns its
/// process id and the stack, to be [given back](Stack::give_back) once the
/// child has exec'd or exited (`plan` must live as long).
///
/// # Safety
/// `plan` is neither moved nor changed nor dropped until then.
pub(super) unsafe fn clone(plan: &Plan) -> io::Result<(libc::pid_t, Stack)> {
    let mut stack = Stack::take();
    // SAFETY: the stack and the plan outlive the child's use of them (the
    // caller's promise); the signal masks are restored whatever clone did.
    let pid = unsafe {
        let top = stack.0.as_mut_ptr().add(stack.0.len()).cast::<c_void>();
        let mut all: libc::sigset_t = std::mem::zeroed();
        let mut old: libc::sigset_t = std::mem::zeroed();
        libc::sigfillset(&mut all);
        libc::pthread_sigmask(libc::SIG_SETMASK, &all, &mut old);
        let pid = libc::clone(
            child,
            top,
            libc::CLONE_VM | libc::SIGCHLD,
            std::ptr::from_ref(plan).cast_mut().cast::<c_void>(),
        );
        let e = io::Error::last_os_error();
        libc::pthread_sigmask(libc::SIG_SETMASK, &old, std::ptr::null_mut());
        if pid < 0 {
            stack.give_back();
            return Err(e);
        }
        pid
    };
    // Its own group from now on, whoever of the two gets there first (a
    // signal to the group must not miss it).
    // SAFETY: a plain system call on our own child.
    unsafe { libc::setpgid(pid, pid) };
    Ok((pid, stack))
}

/// Waits until the child has exec'd (`Ok(Ok)`) or failed (`Ok(Err)`: the
/// `errno` it wrote before exiting); `Err` if the pipe could not be read.
pub(super) fn outcome(err_r: &mut std::io::PipeReader) -> io::Result<io::Result<()>> {
    let mut errno = [0u8; 4];
    let mut got = 0;
    while got < errno.len() {
        match err_r.read(&mut errno[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    if got == 0 {
        return Ok(Ok(()));
    }
    Ok(Err(io::Error::from_raw_os_error(i32::from_ne_bytes(errno))))
}

/// The child, in the drill's memory, beside the driver's thread: raw
/// system calls only ([`sys`]), nothing allocated, nothing that may panic.
extern "C" fn child(arg: *mut c_void) -> c_int {
    // SAFETY: `arg` is the `Plan` that `clone`'s caller keeps alive and
    // untouched until this child has exec'd or exited.
    unsafe {
        let plan = &*arg.cast_const().cast::<Plan>();
        let fail = |errno: c_int| -> ! {
            let b = errno.to_ne_bytes();
            let _ = sys::write(plan.err_w, b.as_ptr(), b.len());
            sys::exit(127)
        };
        // Killed if the thread that started it ends (reprise dies) before
        // the release; already gone (this process re-parented): exit.
        if let Err(e) = sys::death_signal(libc::SIGKILL) {
            fail(e);
        }
        if sys::getppid() != plan.parent {
            sys::exit(125);
        }
        // Handlers are the drill's: back to the defaults (`exec` would do
        // it, but a signal could come before).
        for sig in 1..65 {
            if sig == libc::SIGKILL || sig == libc::SIGSTOP {
                continue;
            }
            let Ok(handler) = sys::handler(sig) else {
                continue;
            };
            let (dfl, ign) = (libc::SIG_DFL, libc::SIG_IGN);
            // A handler; or `SIGPIPE` ignored (Rust's doing, not the operator's).
            if handler != dfl && (handler != ign || sig == libc::SIGPIPE) {
                let _ = sys::default_handler(sig);
            }
        }
        if let Err(e) = sys::own_group() {
            fail(e);
        }
        for (to, &from) in plan.stdio.iter().enumerate() {
            let to = to as c_int;
            let done = if from == to {
                sys::keep_on_exec(from)
            } else {
                sys::dup3(from, to)
            };
            if let Err(e) = done {
                fail(e);
            }
        }
        if let Some(cwd) = &plan.cwd
            && let Err(e) = sys::chdir(cwd.as_ptr())
        {
            fail(e);
        }
        // The hold (see the module `hold`): no timeout needed, the kernel
        // kills this process if reprise dies.
        let mut b = [0u8; 1];
        loop {
            match sys::read(plan.go_r, b.as_mut_ptr(), 1) {
                Err(libc::EINTR) => continue,
                // Every write end closed: reprise is gone.
                Ok(0) => sys::exit(125),
                Ok(_) if b[0] == b'g' => break,
                Ok(_) => fail(libc::ECANCELED),
                Err(e) => fail(e),
            }
        }
        // Running from now on: it outlives reprise, as any command does.
        if let Err(e) = sys::death_signal(0) {
            fail(e);
        }
        if let Err(e) = sys::unblock_all() {
            fail(e);
        }
        // `execvp`'s search: a program not found here is tried in the next
        // folder; one found but not executable is said so if none runs.
        let mut error = libc::ENOENT;
        for (path, sh_argv) in plan.paths.iter().zip(&plan.sh_argv_ptrs) {
            let mut e = sys::execve(
                path.as_ptr(),
                plan.argv_ptrs.as_ptr(),
                plan.env_ptrs.as_ptr(),
            );
            if e == libc::ENOEXEC {
                e = sys::execve(SH.as_ptr(), sh_argv.as_ptr(), plan.env_ptrs.as_ptr());
            }
            match e {
                libc::ENOENT | libc::ENOTDIR => {}
                libc::EACCES => error = libc::EACCES,
                e => {
                    error = e;
                    break;
                }
            }
        }
        fail(error)
    }
}
