//! System calls made straight to the kernel, for a held child that runs
//! beside the drill in the drill's memory.
//!
//! The child is not a thread: it has no thread-local storage of its own,
//! and borrows that of the thread that started it (the driver's), which
//! keeps running. Through libc, a failed call writes `errno` there, and the
//! child's failures are routine (the `PATH` search fails in every folder but
//! one): the driver, reading its own `errno` after a read that would block,
//! could find the child's `ENOENT` instead and take a pipe for closed. So
//! the child calls the kernel directly: the result is in a register,
//! `-errno` on failure, and nothing is written to memory.

use nix::libc::{self, c_int, c_long};

/// Result of a raw call: the value, or the error number.
pub(super) type Sys = Result<usize, c_int>;

#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
compile_error!(
    "the held start (src/exec/hold/sys.rs) makes raw system calls for x86_64 and aarch64 only"
);

/// One system call with up to four arguments.
///
/// # Safety
/// The caller passes arguments the kernel may act on (valid pointers for
/// the call, and so on).
#[inline(always)]
pub(super) unsafe fn call(n: c_long, a: [usize; 4]) -> Sys {
    let ret: isize;
    // SAFETY: the instruction only enters the kernel; the registers it
    // clobbers are declared.
    #[cfg(target_arch = "x86_64")]
    unsafe {
        std::arch::asm!(
            "syscall",
            inlateout("rax") n as isize => ret,
            in("rdi") a[0],
            in("rsi") a[1],
            in("rdx") a[2],
            in("r10") a[3],
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack, preserves_flags),
        );
    }
    // SAFETY: as above.
    #[cfg(target_arch = "aarch64")]
    unsafe {
        std::arch::asm!(
            "svc 0",
            in("x8") n,
            inlateout("x0") a[0] as isize => ret,
            in("x1") a[1],
            in("x2") a[2],
            in("x3") a[3],
            options(nostack, preserves_flags),
        );
    }
    if (-4095..0).contains(&ret) {
        Err(-ret as c_int)
    } else {
        Ok(ret as usize)
    }
}

/// `read(fd, buf, len)`.
pub(super) unsafe fn read(fd: c_int, buf: *mut u8, len: usize) -> Sys {
    unsafe { call(libc::SYS_read, [fd as usize, buf as usize, len, 0]) }
}

/// `write(fd, buf, len)`.
pub(super) unsafe fn write(fd: c_int, buf: *const u8, len: usize) -> Sys {
    unsafe { call(libc::SYS_write, [fd as usize, buf as usize, len, 0]) }
}

/// `dup3(from, to, 0)` (`dup2` without its `from == to` case; aarch64
/// has no `dup2`).
pub(super) unsafe fn dup3(from: c_int, to: c_int) -> Sys {
    unsafe { call(libc::SYS_dup3, [from as usize, to as usize, 0, 0]) }
}

/// `fcntl(fd, F_SETFD, 0)`: keep `fd` across `exec`.
pub(super) unsafe fn keep_on_exec(fd: c_int) -> Sys {
    unsafe { call(libc::SYS_fcntl, [fd as usize, libc::F_SETFD as usize, 0, 0]) }
}

/// `chdir(path)`.
pub(super) unsafe fn chdir(path: *const libc::c_char) -> Sys {
    unsafe { call(libc::SYS_chdir, [path as usize, 0, 0, 0]) }
}

/// `setpgid(0, 0)`: a process group of its own.
pub(super) unsafe fn own_group() -> Sys {
    unsafe { call(libc::SYS_setpgid, [0; 4]) }
}

/// `prctl(PR_SET_PDEATHSIG, sig)`: `sig` when the thread that started this
/// process ends (0: nothing).
pub(super) unsafe fn death_signal(sig: c_int) -> Sys {
    unsafe {
        call(
            libc::SYS_prctl,
            [libc::PR_SET_PDEATHSIG as usize, sig as usize, 0, 0],
        )
    }
}

/// `getppid()`.
pub(super) unsafe fn getppid() -> libc::pid_t {
    unsafe { call(libc::SYS_getppid, [0; 4]).unwrap_or(0) as libc::pid_t }
}

/// The kernel's `struct sigaction` (handler, flags, restorer, mask), the
/// same on x86_64 and aarch64.
#[repr(C)]
#[derive(Default)]
pub(super) struct KernelSigaction {
    pub(super) handler: usize,
    flags: u64,
    restorer: usize,
    mask: u64,
}

/// The handler of `sig` now (its disposition: 0 default, 1 ignored).
pub(super) unsafe fn handler(sig: c_int) -> Result<usize, c_int> {
    let mut old = KernelSigaction::default();
    unsafe {
        call(
            libc::SYS_rt_sigaction,
            [sig as usize, 0, (&raw mut old) as usize, 8],
        )?;
    }
    Ok(old.handler)
}

/// Sets `sig` back to its default disposition.
pub(super) unsafe fn default_handler(sig: c_int) -> Sys {
    let new = KernelSigaction::default();
    unsafe {
        call(
            libc::SYS_rt_sigaction,
            [sig as usize, (&raw const new) as usize, 0, 8],
        )
    }
}

/// Empties the signal mask.
pub(super) unsafe fn unblock_all() -> Sys {
    let none: u64 = 0;
    unsafe {
        call(
            libc::SYS_rt_sigprocmask,
            [libc::SIG_SETMASK as usize, (&raw const none) as usize, 0, 8],
        )
    }
}

/// `execve(path, argv, envp)`: returns only on failure.
pub(super) unsafe fn execve(
    path: *const libc::c_char,
    argv: *const *const libc::c_char,
    envp: *const *const libc::c_char,
) -> c_int {
    match unsafe {
        call(
            libc::SYS_execve,
            [path as usize, argv as usize, envp as usize, 0],
        )
    } {
        Err(e) => e,
        Ok(_) => libc::EINVAL,
    }
}

/// `exit_group(code)`.
pub(super) unsafe fn exit(code: c_int) -> ! {
    unsafe {
        let _ = call(libc::SYS_exit_group, [code as usize, 0, 0, 0]);
    }
    // exit_group does not return.
    #[allow(clippy::empty_loop)]
    loop {}
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A raw call gives its result and its error without touching the
    /// thread's `errno`.
    #[test]
    fn a_failed_raw_call_returns_its_error_and_leaves_errno_alone() {
        // SAFETY: plain calls on a pipe of our own and on a bad fd.
        unsafe {
            *libc::__errno_location() = 0;
            let mut b = [0u8; 1];
            assert_eq!(read(-1, b.as_mut_ptr(), 1), Err(libc::EBADF));
            assert_eq!(*libc::__errno_location(), 0, "errno was written");
            let (r, w) = std::io::pipe().unwrap();
            use std::os::fd::AsRawFd;
            assert_eq!(write(w.as_raw_fd(), b"x".as_ptr(), 1), Ok(1));
            assert_eq!(read(r.as_raw_fd(), b.as_mut_ptr(), 1), Ok(1));
            assert_eq!(&b, b"x");
            assert_eq!(getppid(), libc::getppid());
            assert_eq!(handler(libc::SIGKILL), Ok(0));
            assert_eq!(
                execve(c"/nonexistent".as_ptr(), std::ptr::null(), std::ptr::null()),
                libc::ENOENT
            );
            assert_eq!(*libc::__errno_location(), 0, "errno was written");
        }
    }
}
