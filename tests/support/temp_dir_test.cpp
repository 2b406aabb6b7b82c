// TempDir: a fresh directory under $TMPDIR, removed recursively at the end of its scope.
#include "TempDir.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using meshwork::test::TempDir;

TEST(TempDir, IsCreatedUnderTmpdirAndRemovedWithItsContents) {
    TempDir outer("meshwork-tempdir-test");
    ASSERT_TRUE(outer.ok());
    const char *saved = std::getenv("TMPDIR");
    const std::string restore = saved ? saved : "";
    ASSERT_EQ(0, ::setenv("TMPDIR", outer.path().c_str(), 1));
    std::string inner_path;
    {
        TempDir inner("inner");
        ASSERT_TRUE(inner.ok());
        inner_path = inner.path();
        EXPECT_EQ(fs::path(inner_path).parent_path(), fs::path(outer.path()));
        EXPECT_EQ(fs::path(inner_path).filename().string().rfind("inner-", 0), 0u);
        fs::create_directories(inner.file("a/b"));
        std::ofstream(inner.file("a/b/c.txt")) << "x";
        std::ofstream(inner.file("top.txt")) << "y";
        EXPECT_TRUE(fs::exists(inner.file("a/b/c.txt")));
    }
    EXPECT_FALSE(fs::exists(inner_path));
    EXPECT_TRUE(fs::is_empty(outer.path()));
    if (saved) {
        ::setenv("TMPDIR", restore.c_str(), 1);
    } else {
        ::unsetenv("TMPDIR");
    }
}

TEST(TempDir, TwoAreDistinct) {
    TempDir a, b;
    ASSERT_TRUE(a.ok());
    ASSERT_TRUE(b.ok());
    EXPECT_NE(a.path(), b.path());
}

TEST(TempDir, ReportsFailureWhenTheBaseDoesNotExist) {
    TempDir outer("meshwork-tempdir-test");
    ASSERT_TRUE(outer.ok());
    const char *saved = std::getenv("TMPDIR");
    const std::string restore = saved ? saved : "";
    ASSERT_EQ(0, ::setenv("TMPDIR", outer.file("missing").c_str(), 1));
    {
        TempDir t;
        EXPECT_FALSE(t.ok());
        EXPECT_EQ(t.path(), "");
    }
    if (saved) {
        ::setenv("TMPDIR", restore.c_str(), 1);
    } else {
        ::unsetenv("TMPDIR");
    }
}
