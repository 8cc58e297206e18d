package dev.spalce.rewrap.job.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Set;

/** Rewrap jobs: who may see and steer them, and how many a listing shows. */
@ConfigMapping(prefix = "spalce.rewrap.jobs")
public interface JobConfig {

    /** Jobs a listing returns, newest first. */
    @WithDefault("50")
    int listLimit();

    /**
     * Service identities that may read a workspace's jobs with their own token (users come through the gateway
     * with its internal token instead, and need the Owner or Auditor role).
     */
    Set<String> readers();

    /** Service identities that may start, pause, resume and cancel jobs (users: the Owner role, via the gateway). */
    Set<String> managers();
}
