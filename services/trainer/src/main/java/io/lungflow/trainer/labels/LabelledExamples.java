package io.lungflow.trainer.labels;

import io.lungflow.platform.problem.ProblemException;
import io.lungflow.schemas.ScanIngested;
import io.lungflow.schemas.ScanLabelled;
import io.lungflow.trainer.storage.ModelStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * The labelled-example index: each confirmed scan with its latest label and where its image is.
 * A run on labels takes a snapshot of it into a class-per-folder dataset.
 */
@ApplicationScoped
public class LabelledExamples {

    private static final Logger LOG = Logger.getLogger(LabelledExamples.class);
    private static final Map<String, String> EXTENSIONS = Map.of("image/png", ".png", "image/jpeg", ".jpg");

    /** What a snapshot wrote: examples per class, and what it left out and why. */
    public record Snapshot(Path directory, Map<String, Integer> perClass, int skipped, Instant takenAt) {

        public int total() {
            return perClass.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private final EntityManager em;
    private final ModelStore store;
    private final ContinuousConfig config;

    LabelledExamples(EntityManager em, ModelStore store, ContinuousConfig config) {
        this.em = em;
        this.store = store;
        this.config = config;
    }

    @Transactional
    public void recordObject(ScanIngested e) {
        em.createNativeQuery("""
                insert into scan_object (scan_id, bucket, object_key, media_type, modality, received_at)
                values (:id, :bucket, :key, :media, :modality, :at) on conflict do nothing
                """)
                .setParameter("id", e.scanId()).setParameter("bucket", e.object().bucket()).setParameter("key", e.object().key())
                .setParameter("media", e.object().mediaType()).setParameter("modality", e.modality()).setParameter("at", e.receivedAt())
                .executeUpdate();
    }

    /** The latest confirmation of a scan wins; a redelivered or older one changes nothing. */
    @Transactional
    public void recordLabel(ScanLabelled l) {
        em.createNativeQuery("""
                insert into labelled_example (scan_id, label, label_id, confirmed_at) values (:scan, :label, :id, :at)
                on conflict (scan_id) do update set label = excluded.label, label_id = excluded.label_id,
                    confirmed_at = excluded.confirmed_at, recorded_at = now()
                where labelled_example.confirmed_at < excluded.confirmed_at
                    or (labelled_example.confirmed_at = excluded.confirmed_at and labelled_example.label_id < excluded.label_id)
                """)
                .setParameter("scan", l.scanId()).setParameter("label", l.label()).setParameter("id", l.labelId())
                .setParameter("at", l.confirmedAt())
                .executeUpdate();
    }

    /** Labels recorded (new or changed) since the last run on labels of {@code model} took its snapshot. */
    @Transactional
    public long newSinceLastRun(String model) {
        return ((Number) em.createNativeQuery("""
                select count(*) from labelled_example
                where recorded_at > coalesce((select max(snapshot_at) from label_run where model = :model), 'epoch'::timestamptz)
                """).setParameter("model", model).getSingleResult()).longValue();
    }

    /**
     * Writes every labelled scan of the given classes (all classes when empty) whose image is known
     * and is PNG or JPEG into {@code dir/<label>/<scanId>.<ext>}, and records the snapshot.
     */
    public Snapshot snapshot(String runId, String model, Collection<String> classes, Path dir) throws Exception {
        Instant takenAt = Instant.now();
        List<Object[]> rows = examples(takenAt);
        Map<String, Integer> perClass = new TreeMap<>();
        int skipped = 0;
        for (Object[] r : rows) {
            String scanId = (String) r[0];
            String label = (String) r[1];
            String extension = EXTENSIONS.get((String) r[4]);
            if ((!classes.isEmpty() && !classes.contains(label)) || r[2] == null) {
                continue;
            }
            if (extension == null) {
                skipped++; // DICOM and other formats the dataset importer does not read yet
                continue;
            }
            Path file = dir.resolve(label).resolve(scanId + extension);
            Files.createDirectories(file.getParent());
            store.downloadObject((String) r[2], (String) r[3], file);
            perClass.merge(label, 1, Integer::sum);
        }
        Snapshot snapshot = new Snapshot(dir, perClass, skipped, takenAt);
        if (snapshot.total() < config.minExamples() || perClass.size() < 2) {
            throw ProblemException.conflict("not-enough-labels", "Only " + snapshot.total() + " confirmed labels " + perClass
                    + " of model " + model + "'s classes have a stored PNG or JPEG image; a run needs at least " + config.minExamples()
                    + " in at least two classes.");
        }
        recordRun(runId, model, takenAt, snapshot.total());
        LOG.infof("%s: %d confirmed labels of %s %s (%d skipped: not PNG or JPEG)", runId, snapshot.total(), model, perClass, skipped);
        return snapshot;
    }

    @Transactional
    @SuppressWarnings("unchecked")
    List<Object[]> examples(Instant until) {
        return em.createNativeQuery("""
                select l.scan_id, l.label, o.bucket, o.object_key, o.media_type
                from labelled_example l left join scan_object o on o.scan_id = l.scan_id
                where l.recorded_at <= :until order by l.scan_id
                """).setParameter("until", until).getResultList();
    }

    @Transactional
    void recordRun(String runId, String model, Instant at, int examples) {
        em.createNativeQuery("insert into label_run (run_id, model, snapshot_at, examples) values (:id, :model, :at, :n)")
                .setParameter("id", runId).setParameter("model", model).setParameter("at", at).setParameter("n", examples).executeUpdate();
    }
}
