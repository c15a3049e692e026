package dev.lockstep.lock;

/**
 * The lock service's figures for metrics: current sizes, and totals since the process started (a
 * restart starts the totals at zero, as Prometheus counters expect).
 */
public record LockStats(
    int sessions,
    long holds,
    int waiters,
    int watchers,
    long grants,
    long releases,
    long expiries,
    long sessionExpiries,
    long events) {}
