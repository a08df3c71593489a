package io.lungflow.testkit;

import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.utility.DockerImageName;

/** MinIO in a container; suspending pauses the container. */
final class MinioContainerStore implements ObjectStore {

    static final String IMAGE = "minio/minio:RELEASE.2025-09-07T16-13-09Z";

    private final MinIOContainer container;

    private MinioContainerStore(MinIOContainer container) {
        this.container = container;
    }

    static MinioContainerStore start() {
        MinIOContainer container = new MinIOContainer(DockerImageName.parse(Settings.get("lungflow.testkit.minio-image", IMAGE)));
        container.start();
        return new MinioContainerStore(container);
    }

    @Override
    public String endpoint() {
        return container.getS3URL();
    }

    @Override
    public String accessKey() {
        return container.getUserName();
    }

    @Override
    public String secretKey() {
        return container.getPassword();
    }

    @Override
    public void suspend() {
        container.getDockerClient().pauseContainerCmd(container.getContainerId()).exec();
    }

    @Override
    public void resume() {
        container.getDockerClient().unpauseContainerCmd(container.getContainerId()).exec();
    }

    @Override
    public void close() {
        container.stop();
    }
}
