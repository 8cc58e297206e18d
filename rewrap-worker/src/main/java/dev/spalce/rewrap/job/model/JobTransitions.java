package dev.spalce.rewrap.job.model;

import dev.spalce.contracts.rewrap.RewrapProgress.State;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The state changes a rewrap job allows. Completed and cancelled are final; a failed job can be resumed, from its
 * last checkpoint.
 */
public final class JobTransitions {

    private static final Map<State, Set<State>> ALLOWED = Map.of(
            State.RUNNING, EnumSet.of(State.PAUSED, State.CANCELLED, State.FAILED, State.COMPLETED),
            State.PAUSED, EnumSet.of(State.RUNNING, State.CANCELLED),
            State.FAILED, EnumSet.of(State.RUNNING, State.CANCELLED),
            State.COMPLETED, EnumSet.noneOf(State.class),
            State.CANCELLED, EnumSet.noneOf(State.class));

    private JobTransitions() {}

    public static boolean allowed(State from, State to) {
        return ALLOWED.get(from).contains(to);
    }

    /** @throws IllegalJobStateChangeException unless {@code from} may move to {@code to} */
    public static void require(State from, State to) {
        if (!allowed(from, to)) {
            throw new IllegalJobStateChangeException(from, to);
        }
    }

    /** A state change the job's current state does not allow. */
    public static final class IllegalJobStateChangeException extends RuntimeException {

        private final State from;
        private final State to;

        IllegalJobStateChangeException(State from, State to) {
            super("a " + from.wireName() + " job cannot become " + to.wireName());
            this.from = from;
            this.to = to;
        }

        public State from() {
            return from;
        }

        public State to() {
            return to;
        }
    }
}
