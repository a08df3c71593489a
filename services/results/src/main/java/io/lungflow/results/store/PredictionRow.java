package io.lungflow.results.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/** One model version's answer for one scan in one role. */
@Entity
@Table(name = "prediction")
public class PredictionRow extends PanacheEntityBase {

    @Id
    @Column(name = "prediction_id")
    public String predictionId;
    @Column(name = "scan_id")
    public String scanId;
    public String outcome;
    public String model;
    public String version;
    public String role;
    /** The class probabilities as the event's JSON object. */
    public String probabilities;
    public String decision;
    @Column(name = "positive_class")
    public String positiveClass;
    public Double threshold;
    @Column(name = "rejection_code")
    public String rejectionCode;
    @Column(name = "rejection_reason")
    public String rejectionReason;
    @Column(name = "total_ms")
    public Double totalMs;
    @Column(name = "predicted_at")
    public Instant predictedAt;

    public static List<PredictionRow> ofScan(String scanId) {
        return list("scanId = ?1 order by role, predictedAt", scanId);
    }
}
