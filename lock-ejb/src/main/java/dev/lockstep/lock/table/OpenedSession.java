package dev.lockstep.lock.table;

import dev.lockstep.lock.session.SessionToken;

/** A new session and its token, which the table keeps only as a hash. */
public record OpenedSession(SessionSnapshot session, SessionToken token) {}
