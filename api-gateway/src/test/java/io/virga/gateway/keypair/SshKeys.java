package io.virga.gateway.keypair;

/** Real public keys made with ssh-keygen (OpenSSH), with the fingerprints ssh-keygen -l printed for them. */
final class SshKeys {
    static final String ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE0aW/H75RkGEW3SikIPCumg3nlmpr3Y1NJToTBw3jc+ me@apimore";
    static final String ED25519_FP = "SHA256:dwMwW84YaUYhoOPa6iNbMYZiZvjVwBGk7k1Gv4JhJ5A";
    static final String RSA = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQCtTDJp+3ppxMT7kMcGJV6QYa1BQLDWiowJPsne8a19GEmB3xFjZ480XOgXRP7jP+FS/iec6/ndWswGXOyurwAcEctDSV4ByMRHXQNY5WImM+otldxN2soOoYQA6HMAjcKcycTlglU4HBG32fAVSnihL4wz5xO1u7Cu3Su0mFAZF7zRCrZi3zkZj0307VFjEd6B5aaL4lG0NyNKrJRF/7XMYAYdmzS8JqdjqwoBkI/vj7c16Zq7t/nBebD6EqwfrWddufxgUUvwRurqfAab5HUkHYIX0CypDz3Z01c4xtmo37xmuWu6vUKIfdMXf6EzC2oSy2onIEMO6PGL7WRXxgHiLhVucBVx9UiZ7htwxZEZuq0Ty5ILzEXjgP9P/8gsuwKAvvqcBP1qXKADVUCzxyN2uMo9FycX9o9Vb5UiL8EYktJbsV972Ef7uyIm6e3un6Js8vy0oyE13ERuBTHyLs0vPZ1v20U4IEllGhkDjVIXFHMSRfrVfUKpo6fmb6W5inM= me@apimore";
    static final String RSA_FP = "SHA256:FVz2pjE3U2/QrQBCztV+tjH6Vji2OmrC8Skn8uwAM5k";
    static final String ECDSA = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBOiBlG/ITdwlEfASnStr9+vfbhwPOwPF99VCXanZXkZHCFTkLMNIhKP3lBdBcIAIFLCbyTZGkXigqJREUOXH5L4= me@apimore";
    static final String ECDSA_FP = "SHA256:YgPf97K1XgNZAmBGJsm8qTkCjr23S+/l0HXZkfxWQHU";
    /** 1024-bit RSA: refused (too short). */
    static final String RSA_1024 = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDAMKYNnJfbIfSKtmYYTkVRRjNeNF45NGG4TNStj3yn4x6XyuuCYAaX9TBCk1TqIYv9fR0vNiHMj+proze9FDGtcGVXu8O+uraLOMr+CVV8kbBsZx/+Bwh98ImnySG84yhSdcamN9AkCOOt7cSPFM0ttGziv1OlJK++Lh7A6k/dWQ== root@vm";

    private SshKeys() {
    }
}
