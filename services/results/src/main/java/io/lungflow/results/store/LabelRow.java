package io.lungflow.results.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/** One confirmation of a scan's label; the latest of a scan is its current label. */
@Entity
@Table(name = "label")
public class LabelRow extends PanacheEntityBase {

    @Id
    @Column(name = "label_id")
    public String labelId;
    @Column(name = "scan_id")
    public String scanId;
    public String label;
    public String reviewer;
    @Column(name = "confirmed_at")
    public Instant confirmedAt;
    public String source;
    public String supersedes;
    @Column(name = "agrees_with_prediction")
    public Boolean agreesWithPrediction;

    /** Newest first. */
    public static List<LabelRow> ofScan(String scanId) {
        return list("scanId = ?1 order by confirmedAt desc, labelId desc", scanId);
    }
}
