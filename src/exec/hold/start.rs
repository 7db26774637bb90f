//! Starting a held command without copying the drill's memory.
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
//! So the child is started the way `posix_spawn` starts one:
//! `clone(CLONE_VM | CLONE_VFORK)`. It shares the drill's memory, on a
//! stack of its own, and only makes system calls on what [`Plan`] prepared
//! before (nothing it writes is read by the drill, nothing it reads
//! changes meanwhile); the thread that starts it sleeps until it execs or
//! exits. Its file descriptors and signal handlers are its own copies
//! (no `CLONE_FILES`, no `CLONE_SIGHAND`). Signals are blocked while it
//! shares the drill's memory, so that no handler of the drill runs in it;
//! those with a handler are reset to their default (and `SIGPIPE`, which
//! Rust ignores), then the mask is emptied just before `exec`.

use std::collections::BTreeMap;
use std::ffi::{CString, OsStr, OsString};
use std::io::{self, Read};
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::process::Command;

use nix::libc::{self, c_char, c_int, c_void};

/// The child's stack while it shares the drill's memory (it calls a few
/// system calls, in frames of a few hundred bytes).
const STACK: usize = 64 * 1024;

/// The shell that runs a script without `#!`.
const SH: &std::ffi::CStr = c"/bin/sh";

/// How often a held child looks whether reprise is still there.
const PARENT_CHECK_MS: c_int = super::PARENT_CHECK.as_millis() as c_int;

/// Everything the child needs, made before it exists.
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
    stdin: OwnedFd,
    stdout: OwnedFd,
    stderr: OwnedFd,
    /// The child says its process id here.
    pid_w: RawFd,
    /// And waits here for `g` (go) or anything else (stop).
    go_r: RawFd,
    /// The drill's end of the go pipe: the child closes its copy.
    go_w: RawFd,
    /// An error before `exec` (its `errno`), written here; closed by `exec`.
    err_w: OwnedFd,
    parent: libc::pid_t,
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
    /// reprise's, folder), with its output on `stdout`/`stderr` and its
    /// input from `/dev/null`; `pid_w`, `go_r` and `go_w` are the hold's
    /// pipes, owned by the caller until the child has exec'd.
    pub(super) fn new(
        cmd: &Command,
        stdout: OwnedFd,
        stderr: OwnedFd,
        (pid_w, go_r, go_w): (RawFd, RawFd, RawFd),
        err_w: OwnedFd,
    ) -> io::Result<Plan> {
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
        let stdin = std::fs::File::open("/dev/null")?.into();
        Ok(Plan {
            paths,
            _argv: argv,
            argv_ptrs,
            sh_argv_ptrs,
            _env: env,
            env_ptrs,
            cwd,
            stdin,
            stdout,
            stderr,
            pid_w,
            go_r,
            go_w,
            err_w,
            parent: std::process::id() as libc::pid_t,
        })
    }
}

/// Starts the child of `plan` and returns once it has exec'd its program
/// (after the hold: the calling thread sleeps meanwhile) or has failed:
/// then the error it reported, the child reaped.
pub(super) fn run(plan: Plan, mut err_r: std::io::PipeReader) -> io::Result<u32> {
    let mut stack = vec![0u128; STACK / std::mem::size_of::<u128>()];
    // SAFETY: the stack outlives the child's use of it (CLONE_VFORK: this
    // thread resumes only once the child has exec'd or exited); `plan`
    // is not touched by this thread until then; the signal masks are
    // restored whatever clone did.
    let pid = unsafe {
        let top = stack.as_mut_ptr().add(stack.len()).cast::<c_void>();
        let mut all: libc::sigset_t = std::mem::zeroed();
        let mut old: libc::sigset_t = std::mem::zeroed();
        libc::sigfillset(&mut all);
        libc::pthread_sigmask(libc::SIG_SETMASK, &all, &mut old);
        let pid = libc::clone(
            child,
            top,
            libc::CLONE_VM | libc::CLONE_VFORK | libc::SIGCHLD,
            (&raw const plan).cast_mut().cast::<c_void>(),
        );
        let e = io::Error::last_os_error();
        libc::pthread_sigmask(libc::SIG_SETMASK, &old, std::ptr::null_mut());
        if pid < 0 {
            return Err(e);
        }
        pid
    };
    drop(stack);
    // Our copy of the error pipe's write end: the read below sees its end
    // once every child holding a copy has exec'd or exited.
    let Plan { err_w, .. } = plan;
    drop(err_w);
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
        return Ok(pid as u32);
    }
    let mut process = super::Process::new(pid as u32);
    let _ = process.wait();
    Err(io::Error::from_raw_os_error(i32::from_ne_bytes(errno)))
}

/// The child, in the drill's memory: system calls only, nothing allocated,
/// nothing that may panic.
extern "C" fn child(arg: *mut c_void) -> c_int {
    // SAFETY: `arg` is the `Plan` that `run` keeps alive and untouched
    // until this child has exec'd or exited.
    unsafe {
        let plan = &*arg.cast_const().cast::<Plan>();
        let fail = |errno: c_int| -> ! {
            let b = errno.to_ne_bytes();
            libc::write(plan.err_w.as_raw_fd(), b.as_ptr().cast(), b.len());
            libc::_exit(127)
        };
        let errno = || *libc::__errno_location();
        // Handlers are the drill's: back to the defaults (`exec` would do
        // it, but a signal could come before).
        for sig in 1..65 {
            if sig == libc::SIGKILL || sig == libc::SIGSTOP {
                continue;
            }
            let mut old: libc::sigaction = std::mem::zeroed();
            if libc::sigaction(sig, std::ptr::null(), &mut old) != 0 {
                continue;
            }
            let handled = old.sa_sigaction != libc::SIG_DFL && old.sa_sigaction != libc::SIG_IGN;
            if handled || (sig == libc::SIGPIPE && old.sa_sigaction != libc::SIG_DFL) {
                let mut new: libc::sigaction = std::mem::zeroed();
                new.sa_sigaction = libc::SIG_DFL;
                libc::sigaction(sig, &new, std::ptr::null_mut());
            }
        }
        if libc::setpgid(0, 0) != 0 {
            fail(errno());
        }
        for (from, to) in [
            (plan.stdin.as_raw_fd(), 0),
            (plan.stdout.as_raw_fd(), 1),
            (plan.stderr.as_raw_fd(), 2),
        ] {
            let done = if from == to {
                libc::fcntl(from, libc::F_SETFD, 0)
            } else {
                libc::dup2(from, to)
            };
            if done < 0 {
                fail(errno());
            }
        }
        if let Some(cwd) = &plan.cwd
            && libc::chdir(cwd.as_ptr()) != 0
        {
            fail(errno());
        }
        // The hold (see the module `hold`).
        libc::close(plan.go_w);
        let pid = libc::getpid().to_ne_bytes();
        if libc::write(plan.pid_w, pid.as_ptr().cast(), pid.len()) != pid.len() as isize {
            fail(errno());
        }
        libc::close(plan.pid_w);
        loop {
            let mut fd = libc::pollfd {
                fd: plan.go_r,
                events: libc::POLLIN,
                revents: 0,
            };
            let n = libc::poll(&mut fd, 1, PARENT_CHECK_MS);
            if n > 0 {
                let mut b = [0u8; 1];
                let r = libc::read(plan.go_r, b.as_mut_ptr().cast(), 1);
                libc::close(plan.go_r);
                if r == 0 {
                    // The pipe's end: reprise is gone.
                    libc::_exit(125);
                }
                if r == 1 && b[0] == b'g' {
                    break;
                }
                fail(libc::ECANCELED);
            }
            if n < 0 && errno() != libc::EINTR {
                fail(errno());
            }
            if libc::getppid() != plan.parent {
                libc::_exit(125);
            }
        }
        let mut none: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut none);
        libc::sigprocmask(libc::SIG_SETMASK, &none, std::ptr::null_mut());
        // `execvp`'s search: a program not found here is tried in the next
        // folder; one found but not executable is said so if none runs.
        let mut error = libc::ENOENT;
        for (path, sh_argv) in plan.paths.iter().zip(&plan.sh_argv_ptrs) {
            libc::execve(
                path.as_ptr(),
                plan.argv_ptrs.as_ptr(),
                plan.env_ptrs.as_ptr(),
            );
            if errno() == libc::ENOEXEC {
                libc::execve(SH.as_ptr(), sh_argv.as_ptr(), plan.env_ptrs.as_ptr());
            }
            match errno() {
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
