package dev.spalce.rewrap.job.service.port;

import java.util.List;

/**
 * A page of stored data keys in the data owner's stable order.
 *
 * @param keys the page, possibly empty
 * @param nextCursor where the next page starts; null when this was the last
 */
public record StoredKeyPage(List<StoredKey> keys, String nextCursor) {

    public StoredKeyPage {
        keys = List.copyOf(keys);
    }
}
