package dev.spalce.cryptoservice.tenantkey.model;

import dev.spalce.contracts.keys.KeyVersionState;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores {@link KeyVersionState} by its wire name, as the table's CHECK constraint expects. */
@Converter(autoApply = true)
public class KeyVersionStateConverter implements AttributeConverter<KeyVersionState, String> {

    @Override
    public String convertToDatabaseColumn(KeyVersionState state) {
        return state == null ? null : state.wireName();
    }

    @Override
    public KeyVersionState convertToEntityAttribute(String column) {
        return column == null ? null : KeyVersionState.fromWireName(column);
    }
}
