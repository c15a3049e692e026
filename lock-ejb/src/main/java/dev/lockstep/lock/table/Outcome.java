package dev.lockstep.lock.table;

/** The result of a lock-table operation together with the changes it made. */
public record Outcome<T>(T result, Changes changes) {}
