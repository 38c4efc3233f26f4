//! Ctrl-C and SIGTERM: stop at once, remove this process's staging folders, leave earlier
//! results untouched, and exit with 128 + the signal number (130 for Ctrl-C), as shells
//! expect. The simulation is not asked to stop: the process ends from the signal thread
//! while no file is being written (see `output::folder`).

/// Starts the signal thread (Unix); elsewhere the default handling stays.
pub fn install() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGINT, SIGTERM};
        use signal_hook::iterator::Signals;
        let Ok(mut signals) = Signals::new([SIGINT, SIGTERM]) else {
            return;
        };
        let spawned = std::thread::Builder::new()
            .name("interrupts".into())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    eprintln!("\ninterrupted: nothing was written; earlier results are untouched");
                    crate::output::folder::abandon_live_and_exit(128 + signal);
                }
            });
        // Without the thread the default handling (end the process) stays; the next run
        // sweeps what is left.
        drop(spawned);
    }
}
