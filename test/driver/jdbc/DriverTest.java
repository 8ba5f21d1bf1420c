// buyerjourney through JDBC (Debian's pgjdbc): both types written and read as
// strings, server-prepared statements (prepareThreshold=1) in text and binary
// transfer, arrays of the types, aggregate results, and the server error
// fields of a transition the trigger refuses.  Connects to 127.0.0.1:PGPORT
// (or PGHOST when it is a host name) as PGUSER, works in a database of its
// own that it drops, prints one line per check and "N passed, N failed",
// exits non-zero on a failure.
import java.sql.*;
import java.util.*;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

public class DriverTest {
    static final String[] STAGES = {"unaware", "explore", "define", "select", "decide", "approve", "realize", "lost", "no_decision"};
    static int passed = 0, failed = 0;

    static void check(String name, boolean ok, Object detail) {
        if (ok) { passed++; System.out.println("ok   " + name); }
        else { failed++; System.out.println("FAIL " + name + ": " + detail); }
    }

    static String url(String db, String options) {
        String host = System.getenv().getOrDefault("PGHOST", "");
        if (host.isEmpty() || host.startsWith("/")) host = "127.0.0.1";
        return "jdbc:postgresql://" + host + ":" + System.getenv().getOrDefault("PGPORT", "5432") + "/" + db
            + "?user=" + System.getenv().getOrDefault("PGUSER", "postgres") + options;
    }

    public static void main(String[] args) throws Exception {
        String db = "bj_jdbc_" + ProcessHandle.current().pid();
        try (Connection admin = DriverManager.getConnection(url("postgres", ""))) {
            admin.createStatement().execute("CREATE DATABASE " + db + " TEMPLATE template0 ENCODING 'UTF8'");
            try {
                run(db);
            } catch (Exception e) {
                check("no unexpected exception", false, e);
            } finally {
                admin.createStatement().execute("DROP DATABASE IF EXISTS " + db);
            }
        }
        System.out.println(passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }

    static void run(String db) throws Exception {
        // stringtype=unspecified: setString parameters are typed by the server,
        // so a String goes into a journey_stage parameter without a cast.
        for (String mode : new String[] {"text", "binary"}) {
            String options = "&stringtype=unspecified&prepareThreshold=1&binaryTransfer=" + mode.equals("binary");
            try (Connection c = DriverManager.getConnection(url(db, options))) {
                Statement st = c.createStatement();
                st.execute("CREATE EXTENSION IF NOT EXISTS buyerjourney");
                st.execute("DROP TABLE IF EXISTS t");
                st.execute("CREATE TABLE t (id int PRIMARY KEY, stage journey_stage, phase lifecycle_phase, stages journey_stage[])");
                try (PreparedStatement ins = c.prepareStatement("INSERT INTO t VALUES (?, ?, ?, ?)")) {
                    for (int i = 0; i < STAGES.length; i++) {
                        ins.setInt(1, i);
                        ins.setString(2, STAGES[i]);
                        ins.setObject(3, i % 2 == 0 ? "growth" : "成熟期", Types.OTHER);
                        ins.setArray(4, c.createArrayOf("journey_stage", Arrays.copyOf(STAGES, i + 1)));
                        ins.executeUpdate();
                    }
                }
                List<String> stages = new ArrayList<>(), phases = new ArrayList<>();
                String[] fourth = null;
                try (PreparedStatement sel = c.prepareStatement("SELECT stage, phase, stages FROM t WHERE id >= ? ORDER BY id")) {
                    for (int round = 0; round < 3; round++) {   // server-prepared from the first execution on
                        sel.setInt(1, 0);
                        stages.clear(); phases.clear();
                        try (ResultSet rs = sel.executeQuery()) {
                            while (rs.next()) {
                                stages.add(rs.getString(1));
                                phases.add(rs.getString(2));
                                if (rs.getRow() == 4)    // elements of a type pgjdbc does not know come as objects
                                    fourth = Arrays.stream((Object[]) rs.getArray(3).getArray()).map(String::valueOf).toArray(String[]::new);
                            }
                        }
                    }
                }
                check(mode + ": every stage written and read as a string", stages.equals(Arrays.asList(STAGES)), stages);
                check(mode + ": a phase written as Types.OTHER, also by its Chinese label",
                    phases.get(0).equals("growth") && phases.get(1).equals("maturity"), phases);
                check(mode + ": journey_stage[] through createArrayOf and getArray",
                    Arrays.equals(fourth, Arrays.copyOf(STAGES, 4)), Arrays.toString(fourth));
                try (PreparedStatement p = c.prepareStatement("SELECT next_stage(?), is_won(?)")) {
                    p.setString(1, "decide");
                    p.setObject(2, "realize", Types.OTHER);
                    try (ResultSet rs = p.executeQuery()) {
                        rs.next();
                        check(mode + ": functions of the types", "approve".equals(rs.getString(1)) && rs.getBoolean(2),
                            rs.getString(1) + " " + rs.getBoolean(2));
                    }
                }
                try (PreparedStatement p = c.prepareStatement("SELECT ?::journey_stage")) {
                    p.setString(1, "nowhere");
                    p.executeQuery();
                    check(mode + ": a bad value: 22P02", false, "no error");
                } catch (PSQLException e) {
                    check(mode + ": a bad value: 22P02", "22P02".equals(e.getSQLState()), e.getSQLState());
                }
                aggregates(c, mode);
                trigger(c, mode);
            }
        }
    }

    static void aggregates(Connection c, String mode) throws SQLException {
        Statement st = c.createStatement();
        st.execute("DROP TABLE IF EXISTS ev");
        st.execute("CREATE TABLE ev AS SELECT (g % 4)::bigint AS deal, (ARRAY['explore','define','select','lost'])[1 + g / 4]::journey_stage AS stage,"
            + " '2025-01-01'::timestamptz + g * interval '1 day' AS at, (10 * g)::numeric AS amount FROM generate_series(0, 11) g");
        String f;
        try (ResultSet rs = st.executeQuery("SELECT funnel(deal, stage, at) FROM ev")) {
            rs.next();
            f = rs.getString(1);
        }
        check(mode + ": a funnel state reads as its text form", f != null && f.matches("[0-9a-f]+"), f);
        List<String> rows = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT stage, entered, bar FROM funnel_report(?::funnel, false, 4) WHERE entered > 0")) {
            p.setString(1, f);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) rows.add(rs.getString(1) + ":" + rs.getLong(2) + ":" + rs.getString(3));
            }
        }
        check(mode + ": the state sent back as a parameter: report rows with bars",
            rows.equals(List.of("explore:4:████", "define:4:████", "select:4:████")), rows);
        try (ResultSet rs = st.executeQuery("SELECT frequency(s), historical_value(s) FROM (SELECT customer_summary(amount, at) AS s FROM ev) x")) {
            rs.next();
            check(mode + ": a customer summary read", rs.getInt(1) == 11 && rs.getBigDecimal(2).intValue() == 660,
                rs.getInt(1) + " " + rs.getBigDecimal(2));
        }
    }

    static void trigger(Connection c, String mode) throws SQLException {
        Statement st = c.createStatement();
        st.execute("DROP TABLE IF EXISTS deals, deal_history");
        st.execute("SELECT create_history_table('deal_history')");
        st.execute("CREATE TABLE deals (id int PRIMARY KEY, stage journey_stage NOT NULL)");
        st.execute("CREATE TRIGGER deals_stage_guard AFTER INSERT OR UPDATE ON deals FOR EACH ROW"
            + " EXECUTE FUNCTION enforce_transitions('column=stage', 'process=complex', 'history=deal_history')");
        st.execute("INSERT INTO deals VALUES (42, 'explore')");
        try (PreparedStatement p = c.prepareStatement("UPDATE deals SET stage = ? WHERE id = 42")) {
            p.setString(1, "decide");
            p.executeUpdate();
            check(mode + ": forbidden move: 23514", false, "no error");
        } catch (PSQLException e) {
            ServerErrorMessage m = e.getServerErrorMessage();
            check(mode + ": forbidden move: 23514", "23514".equals(e.getSQLState()), e.getSQLState());
            check(mode + ": error schema, table, column", "public".equals(m.getSchema()) && "deals".equals(m.getTable())
                && "stage".equals(m.getColumn()), m.getSchema() + "." + m.getTable() + "." + m.getColumn());
            check(mode + ": error constraint is the trigger", "deals_stage_guard".equals(m.getConstraint()), m.getConstraint());
            check(mode + ": message names from, to and process",
                "journey_stage may not move from \"explore\" to \"decide\" under process \"complex\"".equals(m.getMessage()), m.getMessage());
        }
        try (PreparedStatement p = c.prepareStatement("UPDATE deals SET stage = ? WHERE id = 42")) {
            p.setString(1, "define");
            p.executeUpdate();
        }
        List<String> h = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT from_value, to_value FROM deal_history ORDER BY seq")) {
            while (rs.next()) h.add(rs.getString(1) + ">" + rs.getString(2));
        }
        check(mode + ": history seen through the driver", h.equals(List.of("null>explore", "explore>define")), h);
    }
}
