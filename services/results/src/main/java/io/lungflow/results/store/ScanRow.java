package io.lungflow.results.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A scan as results knows it: what ingest said, the active model's answer, the current label. */
@Entity
@Table(name = "scan")
public class ScanRow extends PanacheEntityBase {

    @Id
    @Column(name = "scan_id")
    public String scanId;
    @Column(name = "received_at")
    public Instant receivedAt;
    public String bucket;
    @Column(name = "object_key")
    public String objectKey;
    @Column(name = "media_type")
    public String mediaType;
    @Column(name = "size_bytes")
    public Long sizeBytes;
    public String sha256;
    public String channel;
    @Column(name = "source_system")
    public String sourceSystem;
    @Column(name = "calling_ae_title")
    public String callingAeTitle;
    public String modality;
    @Column(name = "body_part")
    public String bodyPart;
    @Column(name = "view_position")
    public String viewPosition;
    @Column(name = "study_reference")
    public String studyReference;
    @Column(name = "study_instance_uid")
    public String studyInstanceUid;
    @Column(name = "series_instance_uid")
    public String seriesInstanceUid;
    @Column(name = "sop_instance_uid")
    public String sopInstanceUid;
    @Column(name = "in_scope")
    public Boolean inScope;
    @Column(name = "scope_reason")
    public String scopeReason;
    public Integer width;
    public Integer height;
    public String status;
    @Column(name = "active_prediction_id")
    public String activePredictionId;
    @Column(name = "active_role")
    public String activeRole;
    @Column(name = "active_model")
    public String activeModel;
    @Column(name = "active_version")
    public String activeVersion;
    @Column(name = "active_decision")
    public String activeDecision;
    @Column(name = "positive_probability")
    public Double positiveProbability;
    public Double uncertainty;
    @Column(name = "predicted_at")
    public Instant predictedAt;
    @Column(name = "current_label_id")
    public String currentLabelId;
    @Column(name = "recorded_at")
    public Instant recordedAt;
}
