package dev.spalce.cryptoservice.tenantkey.model;

import dev.spalce.contracts.keys.KeyState;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores {@link KeyState} by its wire name, as the table's CHECK constraint expects. */
@Converter(autoApply = true)
public class KeyStateConverter implements AttributeConverter<KeyState, String> {

    @Override
    public String convertToDatabaseColumn(KeyState state) {
        return state == null ? null : state.wireName();
    }

    @Override
    public KeyState convertToEntityAttribute(String column) {
        return column == null ? null : KeyState.fromWireName(column);
    }
}
