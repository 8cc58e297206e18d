package dev.spalce.rewrap.keyevent.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** The key events already handled, by CloudEvents id. */
@ApplicationScoped
public class HandledKeyEventRepository {

    /** Notes the event as handled in this transaction; false if it already was (a redelivery). */
    public Uni<Boolean> markHandled(String eventId) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery(
                                "INSERT INTO handled_key_event (event_id) VALUES (:id) ON CONFLICT DO NOTHING")
                        .setParameter("id", eventId)
                        .executeUpdate())
                .map(inserted -> inserted == 1);
    }
}
