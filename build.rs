//! Version and file description in genomgang.exe's properties (Windows only).
//!
//! For a Windows target built with MinGW-w64 (dist/windows.sh), a version resource is
//! written from Cargo.toml's version and compiled with `x86_64-w64-mingw32-windres`
//! (or `$WINDRES`) into an object linked into the program. Other targets do nothing,
//! so the Linux build needs no resource compiler.
//!
//! On every target it also lists the catalogue of known systems,
//! `templates/systems/*.toml`, into `$OUT_DIR/systems.rs` (compiled in by
//! `src/catalogue.rs`), so that adding a system is adding a data file.

use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    list_systems();
    println!("cargo:rerun-if-env-changed=WINDRES");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os != "windows" {
        return;
    }
    if env != "gnu" {
        println!(
            "cargo:warning=no version resource: only the MinGW (gnu) Windows build compiles one"
        );
        return;
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    let rc = out.join("genomgang.rc");
    let obj = out.join("genomgang-version.o");
    std::fs::write(&rc, resource_script()).expect("write genomgang.rc");
    let windres =
        std::env::var("WINDRES").unwrap_or_else(|_| "x86_64-w64-mingw32-windres".to_string());
    let status = Command::new(&windres)
        .args(["--codepage=65001", "-O", "coff", "-i"])
        .arg(&rc)
        .arg("-o")
        .arg(&obj)
        .status()
        .unwrap_or_else(|e| {
            panic!("{windres} could not be run ({e}): install MinGW-w64 (apt-get install gcc-mingw-w64-x86-64) or set WINDRES")
        });
    assert!(status.success(), "{windres} failed on {}", rc.display());
    println!("cargo:rustc-link-arg-bins={}", obj.display());
}

fn resource_script() -> String {
    let version = env("CARGO_PKG_VERSION");
    let numbers = format!(
        "{},{},{},0",
        env("CARGO_PKG_VERSION_MAJOR"),
        env("CARGO_PKG_VERSION_MINOR"),
        env("CARGO_PKG_VERSION_PATCH")
    );
    format!(
        r#"#pragma code_page(65001)
#include <winver.h>
LANGUAGE 0x1D, 0x01
1 VERSIONINFO
FILEVERSION {numbers}
PRODUCTVERSION {numbers}
FILEFLAGSMASK 0x3fL
FILEFLAGS 0x0L
FILEOS VOS_NT_WINDOWS32
FILETYPE VFT_APP
FILESUBTYPE VFT2_UNKNOWN
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "041D04B0"
    BEGIN
      VALUE "CompanyName", "genomgang\0"
      VALUE "FileDescription", "Ledningens genomgång av informationssäkerhet (ISO/IEC 27001 9.3)\0"
      VALUE "FileVersion", "{version}\0"
      VALUE "InternalName", "genomgang\0"
      VALUE "LegalCopyright", "MIT-licens\0"
      VALUE "OriginalFilename", "genomgang.exe\0"
      VALUE "ProductName", "genomgang\0"
      VALUE "ProductVersion", "{version}\0"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x041D, 1200
  END
END
"#
    )
}

fn env(key: &str) -> String {
    std::env::var(key).unwrap_or_default()
}

/// Writes `&[("name.toml", include_str!("…/name.toml")), …]` for every system file.
fn list_systems() {
    let dir = PathBuf::from(env("CARGO_MANIFEST_DIR")).join("templates/systems");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut code = String::from("&[\n");
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let name = f
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        code.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            f.display().to_string()
        ));
    }
    code.push_str("]\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    std::fs::write(out.join("systems.rs"), code).expect("write systems.rs");
}
