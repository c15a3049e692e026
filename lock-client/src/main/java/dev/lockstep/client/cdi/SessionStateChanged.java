package dev.lockstep.client.cdi;

import dev.lockstep.client.SessionState;

/** The CDI event fired at each change of the injected lock client's session state. */
public record SessionStateChanged(String sessionId, SessionState from, SessionState to) {}
