package dev.spalce.rewrap.job.model;

import dev.spalce.contracts.rewrap.RewrapProgress.State;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Locale;

/** Stores a job's state by its wire name ({@code running}, ...), as the table's CHECK constraint expects. */
@Converter
public class JobStateConverter implements AttributeConverter<State, String> {

    @Override
    public String convertToDatabaseColumn(State state) {
        return state == null ? null : state.wireName();
    }

    @Override
    public State convertToEntityAttribute(String column) {
        return column == null ? null : State.valueOf(column.toUpperCase(Locale.ROOT));
    }
}
