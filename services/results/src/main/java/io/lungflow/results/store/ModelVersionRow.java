package io.lungflow.results.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** The latest known state of a model version, from models.versions. */
@Entity
@Table(name = "model_version")
public class ModelVersionRow extends PanacheEntityBase {

    @Embeddable
    public record Key(String model, String version) implements Serializable {
    }

    @EmbeddedId
    public Key key;
    public String status;
    @Column(name = "canary_share")
    public Double canaryShare;
    /** The classes as a JSON array. */
    public String classes;
    @Column(name = "positive_class")
    public String positiveClass;
    public double threshold;
    @Column(name = "changed_at")
    public Instant changedAt;
}
