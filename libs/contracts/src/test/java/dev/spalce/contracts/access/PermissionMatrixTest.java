package dev.spalce.contracts.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** docs/permissions.md and PermissionMatrix must say the same thing, cell by cell. */
class PermissionMatrixTest {

    private static final Path DOC = Path.of("..", "..", "docs", "permissions.md");

    /** One cell of the documented table. */
    record Cell(Permission permission, Role role, boolean granted) {
        @Override
        public String toString() {
            return permission.slug() + " / " + role.title() + " = " + (granted ? "✓" : "—");
        }
    }

    static List<Cell> documentedCells() throws IOException {
        List<String> lines = Files.readAllLines(DOC);
        String header = lines.stream()
                .filter(l -> l.startsWith("| permission |"))
                .findFirst()
                .orElseThrow();
        List<Role> columns = Stream.of(header.split("\\|"))
                .map(String::strip)
                .skip(2)
                .limit(Role.values().length)
                .map(title -> Role.valueOf(title.toUpperCase()))
                .toList();
        List<Cell> cells = new ArrayList<>();
        for (String line : lines) {
            String[] parts = line.split("\\|");
            if (parts.length < 3
                    || !line.startsWith("| ")
                    || line.startsWith("| permission")
                    || line.startsWith("|---")) {
                continue;
            }
            Permission permission = Stream.of(Permission.values())
                    .filter(p -> p.slug().equals(parts[1].strip()))
                    .findFirst()
                    .orElseThrow(
                            () -> new AssertionError("docs/permissions.md names an unknown permission: " + parts[1]));
            for (int i = 0; i < columns.size(); i++) {
                String mark = parts[2 + i].strip();
                assertThat(mark).as(permission.slug() + " / " + columns.get(i)).isIn("✓", "—");
                cells.add(new Cell(permission, columns.get(i), mark.equals("✓")));
            }
        }
        return cells;
    }

    static Stream<Arguments> cells() throws IOException {
        return documentedCells().stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cells")
    void matrix_agreesWithTheDocumentedCell(Cell cell) {
        assertThat(PermissionMatrix.allows(cell.role(), cell.permission())).isEqualTo(cell.granted());
    }

    @Test
    void documentedTable_coversEveryPermissionAndRoleExactlyOnce() throws IOException {
        List<Cell> cells = documentedCells();

        assertThat(cells).hasSize(Permission.values().length * Role.values().length);
        Set<Permission> rows = EnumSet.noneOf(Permission.class);
        cells.forEach(cell -> rows.add(cell.permission()));
        assertThat(rows).containsExactlyInAnyOrder(Permission.values());
    }

    @Test
    void auditor_isGrantedNothingThatChangesState() {
        assertThat(Stream.of(Permission.values()).filter(p -> PermissionMatrix.allows(Role.AUDITOR, p)))
                .allMatch(p -> p.name().startsWith("READ_"));
    }
}
