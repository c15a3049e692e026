package dev.lockstep.lock.table;

/**
 * The result of a lock-table operation together with the changes it made.
 *
 * <p>An operation that has nothing to answer but its changes ({@code closeSession}, {@code
 * withdraw}, {@code expireDue}) is an {@code Outcome<Void>}: its result is null, the only value of
 * {@link Void}, and its callers read only {@link #changes()}. Every other outcome has a result.
 */
public record Outcome<T>(T result, Changes changes) {}
